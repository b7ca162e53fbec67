import type { PersonaResult, SimOutcome, SimulationResult, TimelineEntry } from '../../../simulate/result';
import { Layout, type PageContext } from '../layout';
import { fill, labelOf, type I18n } from '../i18n';
import { DataTable, type TableSpec } from '../components/data-table';
import { TimeCell } from '../components/time-cell';
import { reasonLabel } from '../reason-labels';
import { funnelHref } from '../query';

const CHANNELS = ['email', 'sms', 'telegram'];

/** A status in the page's language, with its reason and, for a deferral, until when. */
function statusCell({ m, lang, fmt }: I18n, e: TimelineEntry, zone: string): string {
  const words = [labelOf(m, 'st_', e.status)];
  if (e.reason) words.push(`· ${reasonLabel(lang, e.reason)}`);
  if (e.until) words.push(`· ${m.until} ${fmt.dateTimeIn(Date.parse(e.until), zone)}`);
  return words.join(' ');
}

/** One persona's timeline in its own zone. */
function timelineSpec(ctx: I18n, zone: string): TableSpec<TimelineEntry> {
  const { m, lang } = ctx;
  return {
    rowAttrs: (e) => ({ 'data-step': e.step, class: `tl-${e.status}` }),
    columns: [
      { key: 'day', head: m.day, num: true, csv: (e) => e.day },
      { key: 'at', head: m.time, csv: (e) => e.at, cell: (e) => <TimeCell ms={Date.parse(e.at)} zone={zone} fmt={ctx.fmt} /> },
      { key: 'step', head: m.step, csv: (e) => e.step, cell: (e) => <code>{e.step}</code> },
      { key: 'channel', head: m.channel, csv: (e) => e.channel },
      { key: 'status', head: m.status, wrap: true, csv: (e) => e.status, cell: (e) => statusCell(ctx, e, zone) },
      {
        key: 'subject', head: m.subject, wrap: true, csv: (e) => e.subject,
        cell: (e) => <>{e.subject ?? '—'}{e.fallbacks && <span class="muted"> · {m.ev_fallback}: {e.fallbacks.map((f) => f.replace(/: (\S+)$/, (_, r: string) => `: ${reasonLabel(lang, r)}`)).join('; ')}</span>}</>,
      },
    ],
  };
}

function outcomeText(m: I18n['m'], o: SimOutcome): string {
  return fill(m[`outcome_${o.status}`], { step: o.step ?? '—', n: o.touches, reason: o.reason });
}

function PersonaSection(props: { ctx: PageContext; persona: PersonaResult; builtin: string | undefined }) {
  const { ctx, persona: p } = props;
  const { m } = ctx;
  const about = props.builtin ? labelOf(m, 'persona_', props.builtin) : p.about;
  const done = p.actions;
  return (
    <section class="persona" data-persona={p.name}>
      <h2>{p.name}{about && <span class="muted"> — {about}</span>}</h2>
      <p class="outcome" data-outcome={p.outcome.status}><strong>{outcomeText(m, p.outcome)}</strong> <span class="muted">· {m.timezone}: {p.timezone}</span></p>
      <DataTable ctx={ctx} spec={timelineSpec(ctx, p.timezone)} rows={p.timeline} compact empty={m.noTimeline} />
      {done.length > 0 && (
        <details>
          <summary>{m.personaDid} ({done.length})</summary>
          <ul>{done.map((a) => <li>{a.at ? <TimeCell ms={Date.parse(a.at)} zone={p.timezone} fmt={ctx.fmt} /> : m.never} · <code>{a.event}</code>{a.step && <> · {m.step} <code>{a.step}</code></>}{a.reason && <> · {a.reason}</>}</li>)}</ul>
        </details>
      )}
    </section>
  );
}

/** The funnel's Preview: the built-in personas' timelines from a simulation, or why it could not run. */
export function PreviewPage(props: { ctx: PageContext; funnelId: string; funnelName: string; result?: SimulationResult; error?: string; builtins: Array<string | undefined> }) {
  const { ctx, result } = props;
  const { m } = ctx;
  const zone = result?.personas[0]?.timezone ?? 'UTC';
  return (
    <Layout ctx={ctx} title={`${m.previewTitle}: ${props.funnelName}`}>
      <p><a href={funnelHref(props.funnelId)}>← {props.funnelName}</a></p>
      <h1>{m.previewTitle}: {props.funnelName}</h1>
      {props.error !== undefined && <p class="error" role="alert">{fill(m.previewFailed, { error: props.error })}</p>}
      {result && (
        <>
          <p class="muted">{fill(m.previewNote, { start: ctx.fmt.dateTimeIn(Date.parse(result.start), zone) })} <code>{result.funnelId}@{result.version}</code></p>
          {result.personas.map((p, i) => <PersonaSection ctx={ctx} persona={p} builtin={props.builtins[i]} />)}
          <h2>{m.touchesPerChannel}</h2>
          <div class="scroll">
            <table id="preview-summary">
              <thead><tr><th>{m.personName}</th>{CHANNELS.map((c) => <th class="num">{c}</th>)}<th class="num">{m.total}</th></tr></thead>
              <tbody>
                {result.personas.map((p) => (
                  <tr data-persona={p.name}>
                    <td>{p.name}</td>
                    {CHANNELS.map((c) => <td class="num">{ctx.fmt.count(p.touchesByChannel[c] ?? 0)}</td>)}
                    <td class="num">{ctx.fmt.count(Object.values(p.touchesByChannel).reduce((s, n) => s + n, 0))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
