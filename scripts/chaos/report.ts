import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import type { ReceivedMail } from '../../test/helpers/smtp-sink';
import type { FakeTelegram } from '../../test/helpers/fake-telegram';
import type { EventLedger } from './clients';

/** What a chaos run measured. */
export interface ChaosReport {
  machine: { cores: number; node: string };
  contacts: number;
  /** Touches the funnel owes: contacts × 3. */
  expected: number;
  /** Distinct touches the peers accepted. */
  received: number;
  perChannel: Record<string, number>;
  lost: number;
  /** Messages a peer accepted more than once for the same touch and contact. */
  duplicated: number;
  duplicateKeys: string[];
  /** Retries that found the previous attempt's claim unrecorded (touch log `interrupted`): the only place a duplicate can come from. */
  killsInSendWindow: number;
  /** Sends in flight (claimed, not recorded) when a worker was killed that were claimed again: the harness's cross-check. */
  reclaimedAfterKill: number;
  /** Ledger rows sent more than once (temporary failures included). */
  retriedDeliveries: number;
  ledgerStatuses: Record<string, number>;
  faults: Array<{ at: number; what: string }>;
  workerKills: number;
  events: { posted: number; accepted: number; stored: number; lost: number; retriedRequests: number };
  enrollRequestsRetried: number;
  /** From the last fault cleared (outage over, process back) to the last expected touch received. */
  drainMs: number;
  /** Touches not yet received when the last fault cleared. */
  backlogAtLastFault: number;
  /** From the first touch received to the last. */
  firstTouchToLastMs: number;
  totalMs: number;
  chaosEndedAtMs: number;
}

/** The loopback peers as the run counts them. */
export interface Peers {
  smtp: { mails: ReceivedMail[] };
  tg: FakeTelegram;
  smsru: { sent: Array<{ to: string; text: string; at: number }> };
}

/** Counts the touches the peers received (by `until`), by `<touch> <externalId>` (every message of the chaos funnel names both). */
export function countReceived(peers: Peers, touches: readonly string[], until = Number.POSITIVE_INFINITY) {
  const seen = new Map<string, number>();
  const perChannel: Record<string, number> = { email: 0, telegram: 0, sms: 0 };
  let lastAt = 0;
  let firstAt = Number.POSITIVE_INFINITY;
  const add = (channel: string, text: string, at: number) => {
    if (at > until) return;
    const key = /^(c-[a-z]+) (c\d+)\b/.exec(text.trim());
    if (!key || !touches.includes(key[1]!)) return;
    const k = `${key[1]} ${key[2]}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 1) perChannel[channel] = (perChannel[channel] ?? 0) + 1;
    lastAt = Math.max(lastAt, at);
    firstAt = Math.min(firstAt, at);
  };
  for (const m of peers.smtp.mails) add('email', m.subject, m.receivedAt);
  for (const m of peers.tg.sent) add('telegram', m.text, m.at);
  for (const m of peers.smsru.sent) add('sms', m.text, m.at);
  const duplicateKeys = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  return { distinct: seen.size, duplicated: [...seen.values()].reduce((a, n) => a + n - 1, 0), duplicateKeys, perChannel, lastAt, firstAt };
}

/** The ledger's side: statuses, retried rows, kills inside the send-then-record window, events stored for the accepted keys. */
export async function readLedger(db: Db, snapshots: Array<Map<string, number>>, events: EventLedger, runId: string) {
  const rows = await db.selectFrom('deliveries').select(['id', 'status', 'attempts']).execute();
  const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
  // Claimed-but-not-recorded sends at each kill that were claimed again later (the harness's view) …
  const reclaimed = new Set<string>();
  for (const snap of snapshots) for (const [id, n] of snap) if ((attempts.get(id) ?? 0) > n) reclaimed.add(id);
  // … and the ledger's own: every retry that found the previous attempt's claim unrecorded logged `interrupted`.
  const interrupted = await db.selectFrom('touch_log').select('delivery_id').where('kind', '=', 'interrupted').execute();
  const statuses: Record<string, number> = {};
  for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const stored = new Set((await db.selectFrom('events').select('idempotency_key')
    .where('idempotency_key', 'like', sql<string>`${`chaos-${runId}-%`}`).execute()).map((r) => r.idempotency_key));
  const eventsLost = events.accepted.filter((e) => !stored.has(e.key)).length;
  return {
    statuses, retriedDeliveries: rows.filter((r) => r.attempts > 1).length, killsInSendWindow: interrupted.length, reclaimedAfterKill: reclaimed.size,
    eventsStored: events.accepted.filter((e) => stored.has(e.key)).length, eventsLost,
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The table `npm run chaos` prints. */
export function formatReport(r: ChaosReport): string {
  const rows: Array<[string, string]> = [
    ['machine', `${r.machine.cores} cores, node ${r.machine.node}`],
    ['contacts enrolled (API)', `${r.contacts} (${r.enrollRequestsRetried} requests retried after 5xx / connection errors)`],
    ['touches expected', String(r.expected)],
    ['received at the peers', `${r.received} (email ${r.perChannel.email}, telegram ${r.perChannel.telegram}, sms ${r.perChannel.sms})`],
    ['lost', String(r.lost)],
    ['duplicated', `${r.duplicated} (bound: ${r.killsInSendWindow} sends a kill interrupted between claim and record, ledger: interrupted)${r.duplicateKeys.length ? `: ${r.duplicateKeys.slice(0, 5).join(', ')}` : ''}`],
    ['faults', `${r.workerKills} × kill -9 worker, 1 × kill -9 server, 1 × kill -9 temporal, SMTP 421, Bot API 429`],
    ['deliveries attempted more than once', `${r.retriedDeliveries} (temporary failures and kills; ${r.reclaimedAfterKill} were claimed and unrecorded at a kill)`],
    ['ledger', Object.entries(r.ledgerStatuses).map(([k, n]) => `${k} ${n}`).join(', ')],
    ['events posted / accepted / stored', `${r.events.posted} / ${r.events.accepted} / ${r.events.stored} (lost ${r.events.lost}; ${r.events.retriedRequests} posts retried with the same key)`],
    ['backlog drained', `${s(r.drainMs)} after the last fault cleared at +${s(r.chaosEndedAtMs)} (${r.backlogAtLastFault} touches still due then)`],
    ['touches sent', `${r.expected} in ${s(r.firstTouchToLastMs)} (${(r.expected / Math.max(1, r.firstTouchToLastMs / 1000)).toFixed(1)}/s, faults included)`],
    ['whole run', s(r.totalMs)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

/** Whether the run kept the promises: nothing lost, duplicates only where a kill could cause them. */
export function chaosPassed(r: ChaosReport): boolean {
  return r.lost === 0 && r.events.lost === 0 && r.duplicated <= r.killsInSendWindow;
}
