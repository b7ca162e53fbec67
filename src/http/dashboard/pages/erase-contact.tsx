import { Layout, type PageContext } from '../layout';
import { contactHref } from '../query';

/** The confirmation in front of an erasure: what goes, what stays, a box to tick, and the CSRF-protected form. */
export function EraseContactPage(props: { ctx: PageContext; contactId: string; title: string; error?: string | undefined }) {
  const { ctx } = props;
  const { m } = ctx;
  const href = contactHref(props.contactId);
  return (
    <Layout ctx={ctx} title={m.eraseTitle}>
      <p><a href={href}>← {props.title}</a></p>
      <h1>{m.eraseTitle}: {props.title}</h1>
      <p>{m.eraseWarning}</p>
      {props.error && <p class="error" role="alert">{props.error}</p>}
      <form method="post" action={`${href}/erase`} data-erase-form={props.contactId}>
        <input type="hidden" name="csrf" value={ctx.csrf} />
        <p><label><input type="checkbox" name="confirm" value="yes" required /> {m.eraseConfirm}</label></p>
        <p><button type="submit">{m.eraseButton}</button></p>
      </form>
    </Layout>
  );
}
