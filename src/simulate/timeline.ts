import type { Db } from '../db/database';
import type { DeliveryRow, OutboxRow, TouchLogRow } from '../db/schema';
import { smsSegments } from '../channels/sms/segments';
import { localParts } from '../time/local-time';
import type { SimMessage, TimelineEntry } from './result';

const DAY = 86_400_000;
const WEEKDAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad = (n: number) => String(n).padStart(2, '0');

/** An instant in a zone: `2027-03-01 10:00`, its weekday, and days since the day of `since`. */
export function localStamp(ms: number, zone: string, since: number): { local: string; day: number; weekday: string } {
  const p = localParts(ms, zone);
  const s = localParts(since, zone);
  const day = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(s.year, s.month - 1, s.day)) / DAY);
  return { local: `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`, day, weekday: WEEKDAY[p.weekday] ?? '' };
}

/** The first non-empty line of a message, tags and entities removed (Telegram HTML). */
export function firstLine(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const plain = text.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return plain.split('\n').map((l) => l.trim()).find((l) => l !== '');
}

function message(row: DeliveryRow, out: OutboxRow | undefined): SimMessage | undefined {
  if (!out) return undefined;
  const base: SimMessage = { channel: out.channel, recipient: out.recipient, ...(out.subject !== null && { subject: out.subject }) };
  if (out.channel === 'telegram') {
    const extra = out.html ? (JSON.parse(out.html) as { buttons?: SimMessage['buttons'] }) : {};
    return { ...base, text: out.text ?? '', ...(extra.buttons && { buttons: extra.buttons }) };
  }
  if (out.channel === 'sms') {
    const length = smsSegments(out.text ?? '');
    return { ...base, text: out.text ?? '', segments: row.segments ?? length.segments, encoding: length.encoding };
  }
  return { ...base, ...(out.html !== null && { html: out.html }), ...(out.text !== null && { text: out.text }) };
}

const FINAL: Record<string, TimelineEntry['status'] | undefined> = {
  outbox: 'outbox', sent: 'sent', delivered: 'sent', skipped: 'skipped', held_out: 'held_out', failed: 'failed',
};

/**
 * One enrollment's ledger as a timeline in the contact's zone: each deferral, then the touch's final state (the
 * channel used, why earlier channels were passed over, the subject or first line), and each answer to an ask, in time order.
 */
export async function readTimeline(db: Db, enrollmentId: string, zone: string, enrolledAt: number): Promise<TimelineEntry[]> {
  const [rows, logs, outbox, answers] = await Promise.all([
    db.selectFrom('deliveries').selectAll().where('enrollment_id', '=', enrollmentId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('touch_log').selectAll().where('enrollment_id', '=', enrollmentId).orderBy('at').orderBy('id').execute(),
    db.selectFrom('outbox').innerJoin('deliveries', 'deliveries.id', 'outbox.delivery_id').selectAll('outbox')
      .where('deliveries.enrollment_id', '=', enrollmentId).execute(),
    db.selectFrom('answers').select(['ask_id', 'kind', 'value', 'score', 'answered_at']).where('enrollment_id', '=', enrollmentId).execute(),
  ]);
  const stamp = (ms: number) => ({ at: new Date(ms).toISOString(), ...localStamp(ms, zone, enrolledAt) });
  const entries: Array<TimelineEntry & { ms: number; order: number }> = [];
  rows.forEach((row, order) => {
    const mine = logs.filter((l: TouchLogRow) => l.delivery_id === row.id);
    for (const l of mine.filter((x) => x.kind === 'deferred')) {
      entries.push({
        ms: l.at, order, ...stamp(l.at), step: row.touch_id, channel: l.channel ?? row.channel, status: 'deferred', reason: l.reason,
        ...(l.until !== null && { until: new Date(l.until).toISOString(), untilLocal: localStamp(l.until, zone, enrolledAt).local }),
      });
    }
    const status = row.channel === 'page' ? 'viewed' : FINAL[row.status];
    if (!status) return; // still deferred when the enrollment ended
    const logged = mine.find((l) => l.kind === row.status || (row.status === 'held_out' && l.kind === 'held_out'));
    // Activities stamp most moments with the workflow's time; a failure after the last retry is stamped by the worker's clock.
    const ms = row.sent_at ?? logged?.at ?? Math.max(row.failed_at ?? 0, row.opened_at ?? 0, row.scheduled_at);
    const fallbacks = mine.filter((l) => l.kind === 'fallback').map((l) => l.reason);
    const msg = message(row, outbox.find((o) => o.delivery_id === row.id));
    const subject = row.subject ?? msg?.subject ?? firstLine(msg?.text);
    entries.push({
      ms, order, ...stamp(ms), step: row.touch_id, channel: row.channel, status,
      ...(row.reason !== null && status !== 'sent' && status !== 'outbox' && { reason: row.reason }),
      ...(subject !== undefined && { subject }),
      ...(fallbacks.length > 0 && { fallbacks }),
      ...(msg && { message: msg }),
    });
  });
  // An answer comes after the question's own row at the same moment.
  for (const a of answers) {
    const ms = Number(a.answered_at);
    const score = a.score === null || a.kind === 'scale' ? '' : ` (score ${Number(a.score)})`;
    entries.push({ ms, order: rows.length, ...stamp(ms), step: a.ask_id, channel: 'answer', status: 'answered', subject: `${a.value}${score}` });
  }
  entries.sort((a, b) => a.ms - b.ms || a.order - b.order);
  return entries.map(({ ms: _ms, order: _o, ...e }) => e);
}
