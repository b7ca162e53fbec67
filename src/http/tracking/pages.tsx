import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { ChannelState } from '../../consent/unsubscribe';
import type { ConsentChannel } from '../../consent/record-consent';
import { channelLabel, type PageLang, type PageMessages } from './messages';

/** What every contact-facing page needs. */
export interface PageProps {
  lang: PageLang;
  m: PageMessages;
  /** This page with the other language selected. */
  langHref: string;
}

// No `<` in here: it is emitted verbatim inside <style>.
const CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232b; background: #f6f7f9; }
main { max-width: 32rem; margin: 3rem auto; background: #fff; border: 1px solid #e3e7ee; border-radius: 10px; padding: 1.75rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; display: flex; flex-direction: column; gap: .6rem; }
label { display: flex; gap: .6rem; align-items: baseline; }
.muted { color: #667085; font-size: .9rem; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; }
button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid #2754c5; background: #2754c5; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #b42318; border-color: #b42318; }
a { color: #2754c5; }
nav { max-width: 32rem; margin: 1rem auto 0; text-align: right; font-size: .9rem; }
`;

/** The page shell: one inline stylesheet, the language switch, no scripts. */
export function Shell(props: PageProps & { title: string; children?: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{props.title}</title>
          <style dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          <nav><a href={props.langHref} hreflang={props.lang === 'ru' ? 'en' : 'ru'}>{props.m.switchLang}</a></nav>
          <main>
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** Shows enough of an address for the reader to recognise it, not enough to leak it when the link is forwarded. */
export function maskAddress(channel: ConsentChannel, address: string | null): string | null {
  if (!address) return null;
  if (channel === 'email') {
    const at = address.lastIndexOf('@');
    return at > 0 ? `${address.slice(0, 1)}•••@${address.slice(at + 1)}` : null;
  }
  if (channel === 'sms') return address.length > 4 ? `${address.slice(0, 2)}•••${address.slice(-2)}` : null;
  return null;
}

/** The unsubscribe page: one checkbox per channel (ticked = keep), save, and "unsubscribe from everything". */
export function ManagePage(props: PageProps & { action: string; channels: ChannelState[] }) {
  const { m } = props;
  const anyActive = props.channels.some((c) => c.active);
  return (
    <Shell {...props} title={m.manageTitle}>
      {props.channels.length === 0 ? <p>{m.nothingToManage}</p> : (
        <form method="post" action={props.action}>
          <p>{m.manageIntro}</p>
          <fieldset>
            {props.channels.map((c) => {
              const masked = maskAddress(c.channel, c.address);
              return (
                <label>
                  <input type="checkbox" name="keep" value={c.channel} checked={c.active} disabled={!c.active} />
                  <span>
                    {channelLabel(m, c.channel)}
                    {masked && <span class="muted">{` (${masked})`}</span>}
                    {!c.active && <span class="muted">{` — ${m.alreadyOff}`}</span>}
                  </span>
                </label>
              );
            })}
          </fieldset>
          {anyActive && (
            <div class="actions">
              <button type="submit" name="action" value="save">{m.save}</button>
              <button type="submit" name="action" value="all" class="secondary">{m.unsubscribeAll}</button>
            </div>
          )}
        </form>
      )}
    </Shell>
  );
}

/** The confirmation after an unsubscribe: what was withdrawn, and a way back to the settings. */
export function DonePage(props: PageProps & { withdrawn: ConsentChannel[]; backHref: string }) {
  const { m } = props;
  return (
    <Shell {...props} title={m.doneTitle}>
      {props.withdrawn.length > 0 ? (
        <>
          <p>{m.doneWithdrawn}</p>
          <ul>{props.withdrawn.map((c) => <li>{channelLabel(m, c)}</li>)}</ul>
        </>
      ) : <p>{m.doneNothing}</p>}
      <p>{m.doneKept}</p>
      <p><a href={props.backHref}>{m.backToSettings}</a></p>
    </Shell>
  );
}

/** A page for a link we did not issue (forged or unknown token, unknown link id) or a malformed form. */
export function MessagePage(props: PageProps & { title: string; text: string }) {
  return (
    <Shell {...props} title={props.title}>
      <p>{props.text}</p>
    </Shell>
  );
}
