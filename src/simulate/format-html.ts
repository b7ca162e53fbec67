import type { PersonaResult, SimMessage, SimulationResult, TimelineEntry } from './result';
import { dayAndTime, outcomeText, statusText } from './format-text';
import { smsSegments } from '../channels/sms/segments';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a202c; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #e2e8f0; padding-bottom: .3rem; }
.muted { color: #718096; } .outcome { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #edf2f7; vertical-align: top; }
.s-skipped, .s-failed { color: #c53030; } .s-deferred, .s-held_out { color: #b7791f; }
.msg { border: 1px solid #e2e8f0; border-radius: 8px; margin: 1rem 0; padding: .75rem 1rem; background: #fafafa; }
.msg header { font-size: .85rem; color: #4a5568; margin-bottom: .5rem; }
iframe.email { width: 100%; height: 28rem; border: 1px solid #cbd5e0; background: #fff; border-radius: 4px; }
.bubble { max-width: 28rem; padding: .6rem .8rem; border-radius: 12px; white-space: pre-wrap; line-height: 1.4; }
.tg .bubble { background: #effdde; } .tg .buttons { max-width: 28rem; }
.tg .row { display: flex; gap: 4px; margin-top: 4px; }
.tg .button { flex: 1; text-align: center; background: #5a8fbb; color: #fff; border-radius: 6px; padding: .35rem; font-size: .85rem; }
.sms .bubble { background: #e2e8f0; } .meta { font-size: .8rem; color: #718096; margin-top: .3rem; }
pre { white-space: pre-wrap; } td.when { white-space: nowrap; }
`;

/** Telegram's HTML parse mode as the app shows it: its few tags kept, everything else as text. */
function telegramHtml(text: string): string {
  return esc(text).replace(/&lt;(\/?)(b|strong|i|em|u|s|code|pre)&gt;/g, '<$1$2>')
    .replace(/&lt;a href=&quot;(https?:\/\/.*?)&quot;&gt;(.*?)&lt;\/a&gt;/g, '<a href="$1" rel="noreferrer">$2</a>');
}

function messageHtml(e: TimelineEntry, m: SimMessage): string {
  const head = `<header><b>${esc(e.step)}</b> · ${esc(m.channel)} → ${esc(m.recipient)} · ${esc(e.local)}${e.fallbacks ? ` · fallback: ${esc(e.fallbacks.join('; '))}` : ''}</header>`;
  if (m.channel === 'email') {
    const body = m.html !== undefined
      ? `<iframe class="email" sandbox="" referrerpolicy="no-referrer" title="${esc(m.subject ?? e.step)}" srcdoc="${esc(m.html)}"></iframe>`
      : `<pre>${esc(m.text ?? '')}</pre>`;
    return `<section class="msg email">${head}<p><b>${esc(m.subject ?? '')}</b></p>${body}</section>`;
  }
  if (m.channel === 'telegram') {
    const buttons = (m.buttons ?? []).map((row) => `<div class="row">${row.map((b) => `<span class="button" title="${esc(b.url ?? `press: ${b.callbackData ?? ''}`)}">${esc(b.text)}${b.url ? ' ↗' : ''}</span>`).join('')}</div>`).join('');
    return `<section class="msg tg">${head}<div class="bubble">${telegramHtml(m.text ?? '')}</div><div class="buttons">${buttons}</div></section>`;
  }
  const length = smsSegments(m.text ?? '');
  const segments = m.segments ?? length.segments;
  return `<section class="msg sms">${head}<div class="bubble">${esc(m.text ?? '')}</div>`
    + `<div class="meta">${segments} SMS segment${segments === 1 ? '' : 's'} · ${length.encoding} · ${length.characters} characters</div></section>`;
}

function personaHtml(p: PersonaResult, start: number): string {
  const when = (iso: string) => dayAndTime(iso, p.timezone, start);
  const rows = p.timeline.map((e) => `<tr><td class="when">${esc(when(e.at))}</td><td>${esc(e.step)}</td><td>${esc(e.channel)}</td>`
    + `<td class="s-${e.status}">${esc(statusText(e, when))}</td><td>${esc(e.subject ?? '')}${e.fallbacks ? ` <span class="muted">[fallback: ${esc(e.fallbacks.join('; '))}]</span>` : ''}</td></tr>`).join('');
  const actions = p.actions.map((a) => `<li>${esc(a.local ?? '—')} · ${esc(a.label)} · ${esc(a.status)}${a.step ? ` (during ${esc(a.step)})` : ''}${a.reason ? ` — ${esc(a.reason)}` : ''}</li>`).join('');
  const messages = p.timeline.filter((e) => e.message).map((e) => messageHtml(e, e.message!)).join('');
  return `<h2>${esc(p.name)}${p.about ? ` <span class="muted">— ${esc(p.about)}</span>` : ''}</h2>
<p class="muted">${esc(p.timezone)}${Object.keys(p.variants).length ? ` · variants ${esc(Object.entries(p.variants).map(([k, v]) => `${k}: ${v}`).join(', '))}` : ''}</p>
<p class="outcome">${esc(outcomeText(p.outcome))}</p>
<table><thead><tr><th>when</th><th>step</th><th>channel</th><th>status</th><th>subject / first line</th></tr></thead><tbody>${rows}</tbody></table>
${actions ? `<h3>What the persona did</h3><ul>${actions}</ul>` : ''}
<h3>Messages as received</h3>${messages || '<p class="muted">none</p>'}`;
}

/** One self-contained page: every persona's timeline and every message as the customer saw it (email in a sandboxed frame). */
export function formatHtml(r: SimulationResult): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'">
<title>${esc(r.funnelId)} — simulation</title><style>${STYLE}</style></head>
<body><h1>${esc(r.name)}</h1>
<p class="muted"><code>${esc(r.funnelId)}@${esc(r.version)}</code> · simulated from ${esc(r.start)} · ${r.personas.length} persona(s)</p>
${r.personas.map((p) => personaHtml(p, Date.parse(r.start))).join('\n')}
</body></html>
`;
}
