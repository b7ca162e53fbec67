import type { Db } from '../db/database';
import { contactView, findContact } from '../db/contacts';
import { consentHistory, currentConsents } from '../consent/record-consent';
import { normalizeAddress } from '../consent/suppressions';
import { NotFoundError } from '../errors';
import { ADDRESS_FIELDS } from './addresses';

type Row = Record<string, unknown>;

const camel = (key: string) => key.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
const TIME = /(^at|_at|^until)$/;
const JSON_COLUMNS = new Set(['attributes', 'properties']);

/** A stored row as the export shows it: camelCase keys, times as ISO 8601, JSON columns parsed. */
function exported(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'number' && TIME.test(key)) out[camel(key)] = new Date(value).toISOString();
    else if (typeof value === 'string' && JSON_COLUMNS.has(key)) out[camel(key)] = safeJson(value);
    else out[camel(key)] = value;
  }
  return out;
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * Everything stored about a contact (152-FZ art. 14, GDPR art. 15), as JSON: the profile, consents with their proof,
 * enrollments, the ledger (deliveries, touch log, page visits, staff and offline touches), events, webinar sessions,
 * dev-outbox messages with their content, tracked links, conversions and orders, where it came from (sources), split
 * assignments, the suppressions of its addresses, its referrals, what migrations did with its enrollments and its
 * browsers' web push subscriptions.
 * Throws NotFoundError for an unknown or erased contact.
 */
export async function exportContact(db: Db, contactId: string, now: number): Promise<Record<string, unknown>> {
  const contact = await findContact(db, { contactId });
  if (!contact) throw new NotFoundError('contact', contactId);
  const deliveries = await db.selectFrom('deliveries').selectAll().where('contact_id', '=', contactId).orderBy('scheduled_at').orderBy('id').execute();
  const deliveryIds = deliveries.map((d) => d.id);
  const none = deliveryIds.length === 0;
  const addresses = Object.entries(ADDRESS_FIELDS).flatMap(([channel, field]) => {
    const value = contact[field];
    return value ? [{ channel, address: normalizeAddress(channel, value) }] : [];
  });
  const suppressions = [];
  for (const a of addresses) {
    suppressions.push(...await db.selectFrom('suppressions').selectAll().where('channel', '=', a.channel).where('address', '=', a.address).execute());
  }
  return {
    exportedAt: new Date(now).toISOString(),
    contact: await contactView(db, contact),
    consents: { current: await currentConsents(db, contactId), history: await consentHistory(db, contactId) },
    enrollments: (await db.selectFrom('enrollments').selectAll().where('contact_id', '=', contactId).orderBy('enrolled_at').execute()).map(exported),
    deliveries: deliveries.filter((d) => d.channel !== 'page').map(exported),
    pageVisits: deliveries.filter((d) => d.channel === 'page').map((d) => exported({
      delivery_id: d.id, funnel_id: d.funnel_id, enrollment_id: d.enrollment_id, page_id: d.touch_id, title: d.subject, shown_at: d.delivered_at, viewed_at: d.opened_at,
    })),
    touchLog: (await db.selectFrom('touch_log').selectAll().where('contact_id', '=', contactId).orderBy('at').execute()).map(exported),
    staffTouches: (await db.selectFrom('logged_touches').selectAll().where('contact_id', '=', contactId).orderBy('at').execute()).map(exported),
    events: (await db.selectFrom('events').selectAll().where('contact_id', '=', contactId).orderBy('occurred_at').execute()).map(exported),
    webinarSessions: (await db.selectFrom('webinar_sessions').selectAll().where('contact_id', '=', contactId).execute()).map(exported),
    outbox: none ? [] : (await db.selectFrom('outbox').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('created_at').execute()).map(exported),
    links: none ? [] : (await db.selectFrom('links').selectAll().where('delivery_id', 'in', deliveryIds).execute()).map(exported),
    conversions: (await db.selectFrom('conversions').selectAll().where('contact_id', '=', contactId).execute()).map(exported),
    orders: (await db.selectFrom('orders').selectAll().where('contact_id', '=', contactId).orderBy('occurred_at').execute()).map(exported),
    sources: { first: contact.source_first ? safeJson(contact.source_first) : null, latest: contact.source_latest ? safeJson(contact.source_latest) : null },
    splitAssignments: (await db.selectFrom('split_assignments').selectAll().where('contact_id', '=', contactId).execute()).map(exported),
    suppressions: suppressions.map(exported),
    referrals: {
      codes: (await db.selectFrom('referral_codes').select('code').where('contact_id', '=', contact.id).orderBy('created_at').execute()).map((r) => r.code),
      referredBy: (await db.selectFrom('referrals').selectAll().where('referred_id', '=', contact.id).execute()).map(exported)[0] ?? null,
      referred: (await db.selectFrom('referrals').selectAll().where('referrer_id', '=', contact.id).orderBy('at').execute()).map(exported),
    },
    migrations: (await db.selectFrom('enrollment_migrations').selectAll().where('contact_id', '=', contactId).orderBy('at').execute()).map(exported),
    pushSubscriptions: (await db.selectFrom('push_subscriptions').selectAll().where('contact_id', '=', contactId).orderBy('created_at').execute()).map(exported),
  };
}
