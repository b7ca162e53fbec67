import { Layout, type PageContext } from '../layout';

/** A one-message page inside the dashboard shell (not found, stale form). */
export function MessagePage(props: { ctx: PageContext; title: string; message?: string | undefined }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      <h1>{props.title}</h1>
      {props.message && <p>{props.message}</p>}
      <p><a href="/dashboard">{ctx.m.allFunnels}</a></p>
    </Layout>
  );
}
