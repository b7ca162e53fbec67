import type { I18n } from '../i18n';
import { reasonLabel } from '../reason-labels';
import { funnelHref } from '../query';
import type { TouchStats } from '../../../analytics/funnel-stats';
import type { FunnelKpis, ReasonCount } from '../data/funnel-data';
import type { Column, TableSpec } from './data-table';

/** A right-aligned numeric column whose CSV value is the raw number and whose cell is `show(number)`. */
export function numCol<R>(key: string, head: string, value: (r: R) => number | null, show: (n: number) => string): Column<R> {
  return { key, head, num: true, csv: value, cell: (r) => { const v = value(r); return v === null ? '—' : show(v); } };
}

/** Funnel KPIs, one row per funnel, the name linking to the funnel's page. */
export function kpiSpec({ m, fmt }: I18n): TableSpec<FunnelKpis> {
  return {
    rowAttrs: (f) => ({ 'data-funnel': f.id }),
    columns: [
      {
        key: 'name', head: m.name, csv: (f) => f.name,
        cell: (f) => <><a href={funnelHref(f.id)}>{f.name}</a>{f.draft && <span class="badge draft" title={m.draftNote} data-draft="true">{m.draft}</span>}</>,
      },
      { key: 'id', head: m.id, csv: (f) => f.id, cell: (f) => <code>{f.id}</code> },
      { key: 'version', head: m.version, csv: (f) => f.version, cell: (f) => <code>{f.version.slice(0, 12)}</code> },
      numCol('enrolled', m.enrolled, (f) => f.stats.enrolled, fmt.count),
      numCol('active', m.active, (f) => f.stats.active, fmt.count),
      numCol('converted', m.converted, (f) => f.stats.converted, fmt.count),
      numCol('conversionRate', m.conversionRate, (f) => f.stats.conversionRate, fmt.percent),
      numCol('revenue', m.revenue, (f) => f.stats.revenue, fmt.money),
    ],
  };
}

/**
 * The per-touch table, narrow enough for 1,280 px: the touch (its id, the channel used and what the customer saw:
 * subject or first line; sends on a fallback channel counted beside it), then conversions and revenue, then the ledger counts; the rare figures (outbox, failed,
 * skips, deferrals, held out, unsubscribes) fold into the detail row under it. The CSV has every figure as a column.
 */
export function touchSpec({ m, fmt }: I18n, seen: ReadonlyMap<string, string> = new Map()): TableSpec<TouchStats> {
  const count = (key: keyof TouchStats & string, head: string) => numCol<TouchStats>(key, head, (t) => t[key] as number, fmt.count);
  const rare = (key: keyof TouchStats & string, head: string): Column<TouchStats> => ({ ...count(key, head), detail: true });
  return {
    rowAttrs: (t) => ({ 'data-touch': t.touchId }),
    htmlOrder: ['touchId', 'converted', 'revenue', 'conversionRate', 'assisted', 'sent', 'delivered', 'opened', 'clicked', 'replied', 'medianTimeToConversionMs'],
    columns: [ // the CSV's order, as before the page was narrowed; `seen` came later
      {
        key: 'touchId', head: m.touch, csv: (t) => t.touchId,
        cell: (t) => <><code>{t.touchId}</code> <span class="badge channel">{t.channel}</span>{fallbacks(t, m.fallbackTitle, fmt.count)}{seen.get(t.touchId) && <span class="seen" title={seen.get(t.touchId)}>{seen.get(t.touchId)}</span>}</>,
      },
      { key: 'channel', head: m.channel, csv: (t) => t.channel, csvOnly: true },
      count('sent', m.sent), count('delivered', m.delivered), rare('outbox', m.inOutbox), count('opened', m.opened),
      count('clicked', m.clicked), count('replied', m.replied), rare('failed', m.failed), rare('skipped', m.skipped),
      rare('deferred', m.deferred), rare('heldOut', m.heldOut), rare('unsubscribed', m.unsubscribed),
      numCol('converted', m.converted, (t) => t.converted, fmt.decimal),
      numCol('assisted', m.assisted, (t) => t.assisted, fmt.count),
      numCol('conversionRate', m.conversionRate, (t) => t.conversionRate, fmt.percent),
      numCol('revenue', m.revenue, (t) => t.revenue, fmt.money),
      numCol('medianTimeToConversionMs', m.medianTtc, (t) => t.medianTimeToConversionMs, fmt.duration),
      { key: 'seen', head: m.touchSeen, csv: (t) => seen.get(t.touchId) ?? null, csvOnly: true },
      { key: 'fallbacks', head: m.fallbackTitle, csv: (t) => fallbackEntries(t).map(([c, n]) => `${c}:${n}`).join(' ') || null, csvOnly: true },
    ],
  };
}

/** How a channel is written beside a touch: its brand name. */
const CHANNEL_NAMES: Record<string, string> = { email: 'email', sms: 'SMS', telegram: 'Telegram', vk: 'VK', push: 'push' };
const fallbackEntries = (t: TouchStats) => Object.entries(t.fallbacks ?? {}).filter(([, n]) => n > 0);

/** The sends of a touch that went out on a fallback channel, beside its planned channel: " · ↪ SMS 12"; nothing without any. */
function fallbacks(t: TouchStats, title: string, count: (n: number) => string) {
  const used = fallbackEntries(t);
  if (used.length === 0) return null;
  return <span class="fallbacks" title={title} data-fallbacks={used.map(([c, n]) => `${c}:${n}`).join(' ')}>
    {used.map(([c, n]) => ` · ↪ ${CHANNEL_NAMES[c] ?? c} ${count(n)}`).join('')}
  </span>;
}

/** Skips and deferrals of each touch by reason. */
export function reasonsSpec({ m, fmt, lang }: I18n): TableSpec<ReasonCount> {
  return {
    rowAttrs: (r) => ({ 'data-reason': `${r.touchId}:${r.kind}:${r.reason}` }),
    columns: [
      { key: 'touchId', head: m.touch, csv: (r) => r.touchId, cell: (r) => <code>{r.touchId}</code> },
      { key: 'kind', head: m.kind, csv: (r) => r.kind, cell: (r) => (r.kind === 'skipped' ? m.skipped : m.deferred) },
      { key: 'reason', head: m.reason, csv: (r) => r.reason, cell: (r) => reasonLabel(lang, r.reason) },
      numCol('count', m.count, (r) => r.count, fmt.count),
    ],
  };
}
