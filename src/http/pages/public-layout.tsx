import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

// No `<` in here: it is emitted verbatim inside <style>. Page templates may use these classes.
const CSS = `
:root { color-scheme: light; --fg: #1d232b; --muted: #5f6b7a; --line: #e1e5ec; --bg: #f5f6f8; --accent: #2754c5; --accent-fg: #fff; --bad: #b42318; --ok: #067647; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1.5rem 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
p { margin: 0 0 1rem; }
img, video, iframe { max-width: 100%; height: auto; border: 0; }
a { color: var(--accent); }
.muted { color: var(--muted); font-size: .95rem; }
.center { text-align: center; }
.button, button { display: inline-block; font: inherit; font-weight: 600; text-align: center; text-decoration: none; cursor: pointer;
  padding: .8rem 1.4rem; border: 0; border-radius: 10px; background: var(--accent); color: var(--accent-fg); min-height: 48px; }
.button:hover, button:hover { filter: brightness(1.08); }
.button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
.button.block, form button { display: block; width: 100%; }
.steps { list-style: none; padding: 0; margin: 1.5rem 0 0; display: grid; gap: .75rem; }
.steps li { background: var(--bg); border-radius: 10px; padding: 1rem; }
.steps .button { width: 100%; margin-top: .5rem; }
.field { display: flex; flex-direction: column; gap: .35rem; margin: 0 0 1rem; }
.field label { font-weight: 600; font-size: .95rem; }
.field input, .field select { font: inherit; padding: .7rem .8rem; border: 1px solid #c9cfd8; border-radius: 8px; background: #fff; width: 100%; min-height: 48px; }
.field input[aria-invalid="true"], .field select[aria-invalid="true"] { border-color: var(--bad); }
.consent { display: flex; gap: .6rem; align-items: flex-start; margin: 0 0 1rem; font-size: .95rem; }
.consent input { width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; flex: none; }
.field-error { color: var(--bad); font-size: .9rem; margin: 0; }
.consent + .field-error { margin: -.6rem 0 1rem 1.85rem; }
.form-error { background: #fef3f2; color: var(--bad); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.required { color: var(--bad); }
.hp { position: absolute !important; left: -10000px !important; width: 1px; height: 1px; overflow: hidden; }
@media (min-width: 640px) { main { padding-top: 3rem; } .card { padding: 2rem; } }
`;

/** The shell of every public page (personal pages, lead forms, their notices): Russian, mobile first, one nonce'd stylesheet. */
export function PublicLayout(props: { title: string; nonce: string | undefined; children?: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="ru">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{props.title}</title>
          <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          <main>
            <div class="card">{props.children}</div>
          </main>
        </body>
      </html>
    </>
  );
}

/** A short notice page (not found, thanks, too many attempts) in the public layout. */
export function NoticePage(props: { title: string; text: string; nonce: string | undefined }) {
  return (
    <PublicLayout title={props.title} nonce={props.nonce}>
      <h1>{props.title}</h1>
      <p class="muted">{props.text}</p>
    </PublicLayout>
  );
}
