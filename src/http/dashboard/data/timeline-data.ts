import type { Db } from '../../../db/database';
import { STAFF_CHANNEL } from '../../../db/deliveries';
import { loggedTouchesOf } from '../../../db/logged-touches';

/** What a timeline line records; the names match the `ev_*` messages. */
export type TimelineKind =
  | 'enrolled' | 'finished' | 'scheduled' | 'sent' | 'delivered' | 'opened' | 'clicked' | 'replied' | 'failed'
  | 'unsubscribed' | 'deferred' | 'skipped' | 'fallback' | 'held_out' | 'interrupted' | 'event' | 'conversion' | 'staff_touch'
  | 'migrated' | 'migration_stayed';

/** One line of a contact's timeline. */
export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  funnelId: string | null;
  touchId: string | null;
  channel: string | null;
  /** The delivery's final state (on `scheduled`) or the enrollment's (on `finished`). */
  status: string | null;
  reason: string | null;
  /** Deferred until. */
  until: number | null;
  /** Event name and properties, a message's subject, an enrollment's version, a staff touch's who, outcome and notes. */
  details: string | null;
  /** An event's or a conversion's value (revenue). */
  value: number | null;
}

// Same instant: the story order (enrolled before the touch, sent before delivered, the event before its conversion).
const ORDER: TimelineKind[] = ['enrolled', 'scheduled', 'deferred', 'held_out', 'skipped', 'fallback', 'interrupted', 'sent', 'delivered',
  'opened', 'clicked', 'replied', 'failed', 'unsubscribed', 'staff_touch', 'event', 'conversion', 'migrated', 'migration_stayed', 'finished'];
const LOGGED = new Set(['deferred', 'skipped', 'failed', 'held_out']);
const CAP = 2000;

/**
 * Everything that happened to a contact, oldest first: enrollments starting and ending; each touch scheduled (with its
 * final status), sent, delivered, opened, clicked, replied, failed, unsubscribed; every deferral, skip, fallback and
 * holdout from the touch log with its reason; staff and offline touches (once each, however many funnels they count
 * in); events; conversions. A reason stored both on the ledger row and in the touch log is shown once (from the log,
 * which keeps each occurrence). A migration that moved an enrollment (or left it on its version) is a line with both
 * versions and steps.
 */
export async function contactTimeline(db: Db, contactId: string): Promise<TimelineEntry[]> {
  const [enrollments, deliveries, log, events, conversions, migrations, staff] = await Promise.all([
    db.selectFrom('enrollments').selectAll().where('contact_id', '=', contactId).limit(CAP).execute(),
    db.selectFrom('deliveries').selectAll().where('contact_id', '=', contactId).orderBy('scheduled_at', 'desc').limit(CAP).execute(),
    db.selectFrom('touch_log').selectAll().where('contact_id', '=', contactId).orderBy('at', 'desc').limit(CAP).execute(),
    db.selectFrom('events').selectAll().where('contact_id', '=', contactId).orderBy('occurred_at', 'desc').limit(CAP).execute(),
    db.selectFrom('conversions').selectAll().where('contact_id', '=', contactId).limit(CAP).execute(),
    db.selectFrom('enrollment_migrations').selectAll().where('contact_id', '=', contactId).where('outcome', '<>', 'finished').limit(CAP).execute(),
    loggedTouchesOf(db, contactId, CAP),
  ]);
  const out: TimelineEntry[] = [];
  const base = { funnelId: null, touchId: null, channel: null, status: null, reason: null, until: null, details: null, value: null };
  for (const e of enrollments) {
    out.push({ ...base, at: Number(e.enrolled_at), kind: 'enrolled', funnelId: e.funnel_id, details: e.version });
    if (e.finished_at !== null) {
      out.push({ ...base, at: Number(e.finished_at), kind: 'finished', funnelId: e.funnel_id, status: e.status, reason: e.exit_reason });
    }
  }
  const loggedKinds = new Map<string, Set<string>>();
  for (const l of log) {
    loggedKinds.set(l.delivery_id, (loggedKinds.get(l.delivery_id) ?? new Set()).add(l.kind));
    out.push({
      ...base, at: Number(l.at), kind: l.kind, funnelId: l.funnel_id, touchId: l.touch_id, channel: l.channel, reason: l.reason,
      until: l.until === null ? null : Number(l.until),
    });
  }
  for (const d of deliveries) {
    if (d.logged_touch_id !== null) continue; // shown once below, from what was logged
    const logged = loggedKinds.get(d.id);
    const touch = { funnelId: d.funnel_id, touchId: d.touch_id, channel: d.channel };
    out.push({ ...base, ...touch, at: Number(d.scheduled_at), kind: 'scheduled', status: d.status, reason: logged ? null : d.reason, details: d.subject,
      until: logged ? null : (d.deferred_until === null ? null : Number(d.deferred_until)) });
    const milestones: Array<[TimelineKind, number | null]> = [
      ['sent', d.sent_at], ['delivered', d.delivered_at], ['opened', d.opened_at], ['clicked', d.clicked_at],
      ['replied', d.replied_at], ['failed', d.failed_at], ['unsubscribed', d.unsubscribed_at],
    ];
    for (const [kind, at] of milestones) {
      if (at === null || (LOGGED.has(kind) && logged?.has(kind))) continue;
      out.push({ ...base, ...touch, at: Number(at), kind, reason: kind === 'failed' ? d.reason : null });
    }
  }
  for (const t of staff) {
    const details = [t.by, t.outcome, t.notes].filter((x) => x !== null && x !== '').join(' · ');
    out.push({
      ...base, at: Number(t.at), kind: 'staff_touch', funnelId: t.funnel_id, touchId: t.kind, channel: STAFF_CHANNEL, details,
      value: t.value === null ? null : Number(t.value),
    });
  }
  for (const e of events) {
    if (e.idempotency_key?.startsWith('touch:')) continue; // a staff touch's announcement: the touch itself is shown
    const props = e.properties && e.properties !== '{}' ? ` ${e.properties}` : '';
    out.push({ ...base, at: Number(e.occurred_at), kind: 'event', details: `${e.name}${props}`, value: e.value === null ? null : Number(e.value) });
  }
  for (const c of conversions) {
    out.push({ ...base, at: Number(c.occurred_at), kind: 'conversion', funnelId: c.funnel_id, value: Number(c.value) });
  }
  for (const g of migrations) {
    out.push({
      ...base, at: Number(g.at), kind: g.outcome === 'moved' ? 'migrated' : 'migration_stayed', funnelId: g.funnel_id, reason: g.reason,
      details: g.outcome === 'moved' ? `${g.from_version} → ${g.to_version}: ${g.from_step ?? '?'} → ${g.to_step ?? '?'}` : `${g.from_version}: ${g.from_step ?? '?'}`,
    });
  }
  return out.sort((a, b) => a.at - b.at || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
