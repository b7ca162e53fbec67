import type { PersonaResult, SimOutcome, SimulationResult, TimelineEntry } from './result';
import { localStamp } from './timeline';

const CHANNELS = ['email', 'sms', 'telegram'];

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The status column: `outbox`, `skipped: no_consent`, `deferred until d1 Tue 09:00 (send_window)`, `held out`, `failed: …`. */
export function statusText(e: TimelineEntry, when: (iso: string) => string = (iso) => iso): string {
  switch (e.status) {
    case 'skipped': return `skipped: ${e.reason ?? 'unknown'}`;
    case 'failed': return `failed: ${e.reason ?? 'unknown'}`;
    case 'held_out': return 'held out';
    case 'deferred': return e.until ? `deferred until ${when(e.until)} (${e.reason ?? ''})` : `deferred (${e.reason ?? ''})`;
    default: return e.status;
  }
}

/** `d1 Tue 09:00`: days since the enrollment day, weekday and time, in the persona's zone. */
export function dayAndTime(iso: string, zone: string, start: number): string {
  const s = localStamp(Date.parse(iso), zone, start);
  return `d${s.day} ${s.weekday} ${s.local.slice(11)}`;
}

/** How the enrollment ended, in words: `converted at bot after 1 touches`, `exited at done`, `completed`. */
export function outcomeText(o: SimOutcome): string {
  const n = `${o.touches} touch${o.touches === 1 ? '' : 'es'}`;
  switch (o.status) {
    case 'converted': return `converted at ${o.step ?? '?'} after ${n}${o.reason !== 'goal' ? ` (then ${o.reason})` : ''}`;
    case 'exited': return o.reason.startsWith('exit:') ? `exited at ${o.step} after ${n}` : `exited (${o.reason}) after ${o.step ?? 'the start'}, ${n}`;
    case 'completed': return `completed after ${n}`;
    case 'failed': return `failed: ${o.reason}`;
  }
}

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => indent + r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length))).join('  ').trimEnd());
}

function personaBlock(p: PersonaResult, start: number): string[] {
  const when = (iso: string) => dayAndTime(iso, p.timezone, start);
  const rows: Array<{ ms: number; cells: string[] }> = p.timeline.map((e) => ({
    ms: Date.parse(e.at),
    cells: [when(e.at), e.step, e.channel, statusText(e, when), cut([e.subject ?? '', e.fallbacks ? `[fallback: ${e.fallbacks.join('; ')}]` : ''].filter(Boolean).join(' '), 80)],
  }));
  for (const a of p.actions) {
    if (!a.at) continue;
    rows.push({ ms: Date.parse(a.at), cells: [when(a.at), `↳ ${a.event}`, '', a.status === 'failed' ? `failed: ${a.reason ?? ''}` : 'does', a.step ? `(during ${a.step})` : ''] });
  }
  rows.sort((a, b) => a.ms - b.ms);
  const variants = Object.entries(p.variants).map(([k, v]) => `${k}: ${v}`).join(', ');
  const lines = [`${p.name}${p.about ? ` — ${p.about}` : ''} (${p.timezone}${variants ? `; variants ${variants}` : ''})`];
  lines.push(...table([['when', 'step', 'channel', 'status', 'subject / first line'], ...rows.map((r) => r.cells)]));
  lines.push(`  → ${outcomeText(p.outcome)}`);
  for (const a of p.actions.filter((x) => x.status === 'never')) lines.push(`  never happened: ${a.label}${a.where ? ` (${a.where})` : ''} — ${a.reason}`);
  return lines;
}

/** The text report: a header, each persona's timeline in its own zone with its outcome, then touches per channel. */
export function formatText(r: SimulationResult): string {
  const start = Date.parse(r.start);
  const out = [`${r.funnelId}@${r.version} «${r.name}» — simulated from ${r.start}`, ''];
  for (const p of r.personas) out.push(...personaBlock(p, start), '');
  const channels = [...new Set([...CHANNELS, ...r.personas.flatMap((p) => Object.keys(p.touchesByChannel))])];
  out.push('Touches per channel:');
  out.push(...table([
    ['persona', ...channels, 'total'],
    ...r.personas.map((p) => [p.name, ...channels.map((c) => String(p.touchesByChannel[c] ?? 0)), String(Object.values(p.touchesByChannel).reduce((s, n) => s + n, 0))]),
  ]));
  return `${out.join('\n')}\n`;
}
