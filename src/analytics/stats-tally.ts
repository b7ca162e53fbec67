/** Counters of one touch over a period, summed from rollups and raw rows alike. */
export interface TouchTally {
  sent: number;
  delivered: number;
  outbox: number;
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  failed: number;
  skipped: number;
  heldOut: number;
  deferred: number;
  credit: number;
  revenue: number;
  assisted: number;
  skippedByReason: Map<string, number>;
  deferredByReason: Map<string, number>;
  /** Time-to-conversion histogram: lag bucket → credited touches. */
  lags: Map<number, number>;
  /** Reached deliveries sent on another channel than the touch's (a fallback), by the channel used. */
  fallbacks: Map<string, number>;
}

/** Counters of one funnel over a period. */
export interface FunnelTally {
  enrolled: number;
  active: number;
  converted: number;
  revenue: number;
  touches: Map<string, TouchTally>;
}

/** Ledger counters of a touch and the rollup column each is read from. */
export const LEDGER_COUNTERS = [
  ['sent', 'sent'], ['delivered', 'delivered'], ['outbox', 'outbox'], ['opened', 'opened'], ['clicked', 'clicked'],
  ['replied', 'replied'], ['unsubscribed', 'unsubscribed'], ['failed', 'failed'], ['skipped', 'skipped'], ['heldOut', 'held_out'],
] as const;

/** An all-zero funnel tally. */
export function emptyFunnelTally(): FunnelTally {
  return { enrolled: 0, active: 0, converted: 0, revenue: 0, touches: new Map() };
}

/** The tally of one touch, created at zero when first asked for. */
export function touchTally(tally: FunnelTally, touchId: string): TouchTally {
  let t = tally.touches.get(touchId);
  if (!t) {
    t = {
      sent: 0, delivered: 0, outbox: 0, opened: 0, clicked: 0, replied: 0, unsubscribed: 0, failed: 0, skipped: 0, heldOut: 0, deferred: 0,
      credit: 0, revenue: 0, assisted: 0, skippedByReason: new Map(), deferredByReason: new Map(), lags: new Map(), fallbacks: new Map(),
    };
    tally.touches.set(touchId, t);
  }
  return t;
}

/** Adds `n` to `map[key]`. */
export function addTo<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

type Num = number | bigint | string | null | undefined;
const num = (v: Num) => Number(v ?? 0);

/** Adds grouped ledger rows (one per touch, columns named as in the rollup) to the tally. */
export function addLedgerRows(tally: FunnelTally, rows: ReadonlyArray<Record<string, unknown>>): void {
  for (const row of rows) {
    const t = touchTally(tally, String(row.touch_id));
    for (const [field, column] of LEDGER_COUNTERS) t[field] += num(row[column] as Num);
  }
}

/** Adds grouped reason rows (`touch_id, kind, reason, n`) to the tally; deferrals also count towards `deferred`. */
export function addReasonRows(tally: FunnelTally, rows: ReadonlyArray<{ touch_id: string; kind: string; reason: string; n: Num }>): void {
  for (const row of rows) {
    const t = touchTally(tally, row.touch_id);
    if (row.kind === 'deferred') {
      t.deferred += num(row.n);
      addTo(t.deferredByReason, row.reason, num(row.n));
    } else {
      addTo(t.skippedByReason, row.reason, num(row.n));
    }
  }
}

/** Adds grouped credit rows (`touch_id, credit, revenue, assisted`) to the tally. */
export function addCreditRows(tally: FunnelTally, rows: ReadonlyArray<{ touch_id: string; credit: Num; revenue: Num; assisted: Num }>): void {
  for (const row of rows) {
    const t = touchTally(tally, row.touch_id);
    t.credit += num(row.credit);
    t.revenue += num(row.revenue);
    t.assisted += num(row.assisted);
  }
}

/** Adds grouped lag rows (`touch_id, bucket, n`) to the tally's histograms. */
export function addLagRows(tally: FunnelTally, rows: ReadonlyArray<{ touch_id: string; bucket: Num; n: Num }>): void {
  for (const row of rows) addTo(touchTally(tally, row.touch_id).lags, num(row.bucket), num(row.n));
}

/** Adds funnel-level counts (`enrolled, active` and/or `converted, revenue`) to the tally. */
export function addFunnelRow(tally: FunnelTally, row: { enrolled?: Num; active?: Num; converted?: Num; revenue?: Num } | undefined): void {
  if (!row) return;
  tally.enrolled += num(row.enrolled);
  tally.active += num(row.active);
  tally.converted += num(row.converted);
  tally.revenue += num(row.revenue);
}

/** Adds grouped fallback rows (`touch_id, channel` used, `n`) to the tally. */
export function addFallbackRows(tally: FunnelTally, rows: ReadonlyArray<{ touch_id: string; channel: string; n: Num }>): void {
  for (const row of rows) addTo(touchTally(tally, row.touch_id).fallbacks, row.channel, num(row.n));
}
