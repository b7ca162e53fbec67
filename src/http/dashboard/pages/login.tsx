import { Layout, type PageContext } from '../layout';

/** The password form; `error` is shown above it when set. */
export function LoginPage(props: { ctx: PageContext; next: string; error?: string | undefined }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.loginTitle}>
      <div class="card">
        <h1>{m.loginTitle}</h1>
        <form method="post" action="/login">
          {props.error && <p class="error" role="alert">{props.error}</p>}
          <input type="hidden" name="csrf" value={ctx.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            {m.password}
            <input type="password" name="password" autocomplete="current-password" required autofocus />
          </label>
          <button type="submit">{m.signIn}</button>
        </form>
      </div>
    </Layout>
  );
}
