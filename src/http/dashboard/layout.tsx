import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { I18n } from './i18n';

/** What every page needs besides its own data. */
export interface PageContext extends I18n {
  csrf: string;
  nonce: string | undefined;
  /** Channels whose messages go to the dev outbox (empty when every channel has a provider). */
  outboxChannels: string[];
  /** The current page with the other language selected. */
  langHref: string;
  authed: boolean;
}

// No `<` in here: it is emitted verbatim inside <style>.
const CSS = `
:root { color-scheme: light; --fg: #1d232b; --muted: #667085; --line: #e3e7ee; --bg: #f6f7f9; --accent: #2754c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.25rem; align-items: center; padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; margin-right: auto; color: var(--fg); }
header form { margin: 0; }
main { max-width: 1440px; margin: 0 auto; padding: 1.5rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
.banner { background: #fff4d6; border-bottom: 1px solid #f0d48a; padding: .6rem 1.5rem; color: #6b4e00; }
.muted { color: var(--muted); font-size: .9rem; }
.error { background: #fde8e8; color: #9b1c1c; padding: .5rem .75rem; border-radius: 6px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.5rem; max-width: 360px; margin: 3rem auto; }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .45rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; white-space: nowrap; }
th { background: #fafbfc; font-weight: 600; font-size: .85rem; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
td.wrap { white-space: normal; min-width: 18rem; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--bg); padding: .5rem; border-radius: 4px; max-height: 24rem; overflow: auto; margin: .25rem 0; }
form.inline { display: flex; gap: .75rem; align-items: end; flex-wrap: wrap; margin: 0 0 1rem; }
label { display: flex; flex-direction: column; gap: .25rem; font-size: .9rem; }
input { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; padding: .4rem .9rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button.link { background: none; color: var(--accent); padding: 0; }
.card form { display: flex; flex-direction: column; gap: .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
table.compact th, table.compact td { padding: .35rem .45rem; font-size: .88rem; }
table.compact th { white-space: normal; min-width: 4rem; vertical-align: bottom; font-size: .8rem; }
tr.has-detail td { border-bottom: 0; }
tr.detail > td { padding-top: 0; }
table.detail { width: auto; }
table.detail tr { display: flex; flex-wrap: wrap; gap: .15rem 1.1rem; align-items: center; }
table.detail td { display: block; border: 0; padding: 0; font-size: .8rem; color: var(--muted); text-align: left; }
table.detail td[data-label]::before { content: attr(data-label) ": "; }
td .seen { display: block; color: var(--muted); font-size: .8rem; max-width: 15rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td .fallbacks { color: var(--muted); font-size: .8rem; white-space: nowrap; }
dl.card-list { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
dl.card-list dt { color: var(--muted); }
dl.card-list dd { margin: 0; }
.tools { margin: .25rem 0; text-align: right; font-size: .85rem; }
.switcher { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin: 0 0 1rem; }
.switcher a { padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 999px; background: #fff; }
.switcher a[aria-current] { background: var(--accent); color: #fff; border-color: var(--accent); }
.panels { display: grid; gap: 1rem; }
figure.chart { margin: 0 0 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; overflow-x: auto; }
figure.chart figcaption { margin-top: .5rem; max-width: 60rem; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; margin: 0 0 1rem; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.tile .big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
ol.ranked { list-style: none; padding: 0; margin: 0 0 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
ol.ranked li { display: grid; grid-template-columns: minmax(14rem, 1fr) 240px 8rem 7rem; gap: .75rem; align-items: center; padding: .4rem .75rem; border-bottom: 1px solid var(--line); }
ol.ranked li:last-child { border-bottom: 0; }
ol.ranked .what { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ol.ranked .num { text-align: right; font-variant-numeric: tabular-nums; }
svg.journey-chart { display: block; max-width: 720px; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
svg.journey-chart rect { fill: var(--accent); }
svg.journey-chart text { font-size: 11px; fill: #555; }
svg.conversions-chart { display: block; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
svg.conversions-chart rect { fill: var(--accent); }
svg.conversions-chart rect.track { fill: #f2f4f7; }
svg.conversions-chart text { font-size: 11px; fill: #555; }
svg.bar rect { fill: var(--accent); }
svg.funnel text.label { text-anchor: end; }
svg.funnel rect.track { fill: #f1f3f6; }
svg.funnel rect.enrolled { fill: #98a2b3; }
svg.funnel rect.reached { fill: #b7c8f3; }
svg.funnel rect.opened { fill: #6e8fe0; }
svg.funnel rect.clicked { fill: #2754c5; }
svg.plan .node rect { fill: #fff; stroke: #98a2b3; }
svg.plan .node.entry rect { fill: #eef2fc; stroke: var(--accent); }
svg.plan .node.empty rect { fill: var(--bg); stroke-dasharray: 3 3; }
svg.plan .node text { text-anchor: middle; }
svg.plan .node text.title { font-weight: 600; }
svg.plan .node text.detail { fill: var(--muted); font-size: 11px; }
svg.plan .edge polyline { fill: none; stroke: #667085; stroke-width: 1.5; }
svg.plan .edge text { font-weight: 600; fill: var(--accent); }
.tl-deferred td, .tl-skipped td, .tl-failed td { background: #fffaf0; }
.refused { background: #fde8e8; border: 1px solid #f5b5b5; color: #9b1c1c; border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.refused ul { margin: .5rem 0 0; padding-left: 1.2rem; }
.refused code { white-space: pre-wrap; word-break: break-word; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .1rem .5rem; border-radius: 999px; vertical-align: middle; margin-left: .4rem; }
.badge.draft { background: #fff4d6; color: #6b4e00; border: 1px solid #f0d48a; }
.badge.channel { background: var(--bg); color: var(--muted); border: 1px solid var(--line); font-weight: 500; }
.badge.test { background: #e8eefc; color: #2754c5; border: 1px solid #b7c8f3; }
iframe.mail { width: 100%; min-width: 28rem; height: 24rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
form.test-send { display: flex; gap: .35rem; margin: 0; }
form.test-send input { padding: .2rem .35rem; font-size: .85rem; width: 12rem; }
form.test-send button { padding: .2rem .5rem; font-size: .85rem; }
form.log-touch { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .5rem 1rem; align-items: end; max-width: 64rem; }
form.log-touch label { display: flex; flex-direction: column; gap: .2rem; font-size: .9rem; }
form.log-touch button { justify-self: start; }
ol.journey { padding-left: 1.5rem; line-height: 1.7; }
.notice { background: #e7f6ec; color: #14532d; padding: .5rem .75rem; border-radius: 6px; }
`;

/** The page shell: one inline stylesheet, navigation, the outbox banner and the language switch; works without JavaScript. */
export function Layout(props: { ctx: PageContext; title: string; children?: Child }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={ctx.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · ${m.title}`}</title>
          <style nonce={ctx.nonce} dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          <header>
            <a class="brand" href="/dashboard">{m.title}</a>
            {ctx.authed && <a href="/dashboard">{m.funnels}</a>}
            {ctx.authed && <a href="/dashboard/contacts">{m.contacts}</a>}
            {ctx.authed && <a href="/dashboard/outbox">{m.outbox}</a>}
            <a href={ctx.langHref} hreflang={ctx.lang === 'ru' ? 'en' : 'ru'}>{m.switchLang}</a>
            {ctx.authed && (
              <form method="post" action="/logout">
                <input type="hidden" name="csrf" value={ctx.csrf} />
                <button class="link" type="submit">{m.logout}</button>
              </form>
            )}
          </header>
          {ctx.outboxChannels.length > 0 && (
            <div class="banner" role="status">{m.outboxBanner} {ctx.outboxChannels.join(', ')}</div>
          )}
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}
