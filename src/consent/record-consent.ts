import type { Transaction } from 'kysely';
import type { Db } from '../db/database';
import type { ConsentLogRow, Database } from '../db/schema';
import { newId } from '../db/ids';
import { addressOn } from '../contacts/addresses';
import { liftErasedSuppression } from './erased-addresses';

/** Channels a contact can consent to. */
export const CONSENT_CHANNELS = ['email', 'sms', 'telegram', 'vk'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** One consent decision with its proof: where it came from, the person's IP and user agent, the exact wording shown. */
export interface ConsentInput {
  contactId: string;
  channel: string;
  granted: boolean;
  /** Where the decision was made: `api`, `form:<funnelId>`, `unsubscribe:email`, … */
  source: string;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  /** The text the person agreed to (or the action they took), as shown to them. */
  wording?: string | null | undefined;
  at: number;
  /** The secret key, when the person gave this consent themselves: a grant lifts the erasure suppression of their address. */
  erasureKey?: string | undefined;
}

/** One consent-log entry as the API answers it. */
export interface ConsentHistoryEntry {
  id: string;
  channel: string;
  granted: boolean;
  source: string;
  ip: string | null;
  userAgent: string | null;
  wording: string | null;
  at: string;
}

/** The current consent of one channel as the API answers it. */
export interface CurrentConsent {
  granted: boolean;
  source: string;
  at: string;
}

/**
 * Writes one decision inside an open transaction: the current state is upserted and the log row appended — the only
 * way consents change, so every decision has its proof. A grant with `erasureKey` lifts an erasure suppression.
 */
export async function writeConsent(trx: Transaction<Database>, input: ConsentInput): Promise<ConsentLogRow> {
  const granted = input.granted ? 1 : 0;
  if (input.granted && input.erasureKey) {
    const contact = await trx.selectFrom('contacts').selectAll().where('id', '=', input.contactId).executeTakeFirst();
    const address = contact && addressOn(contact, input.channel);
    if (address) await liftErasedSuppression(trx, input.erasureKey, input.channel, address);
  }
  await trx.insertInto('consents')
    .values({ contact_id: input.contactId, channel: input.channel, granted, source: input.source, updated_at: input.at })
    .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted, source: input.source, updated_at: input.at }))
    .execute();
  return trx.insertInto('consent_log').values({
    id: newId('cl'), contact_id: input.contactId, channel: input.channel, granted, source: input.source,
    ip: input.ip ?? null, user_agent: input.userAgent ?? null, wording: input.wording ?? null, at: input.at,
  }).returningAll().executeTakeFirstOrThrow();
}

/** Records a consent decision: the current state and its log entry are written together or not at all. */
export async function recordConsent(db: Db, input: ConsentInput): Promise<ConsentLogRow> {
  return db.transaction().execute((trx) => writeConsent(trx, input));
}

/** A log row shaped for the API. */
export function historyEntry(row: ConsentLogRow): ConsentHistoryEntry {
  return {
    id: row.id, channel: row.channel, granted: row.granted === 1, source: row.source,
    ip: row.ip, userAgent: row.user_agent, wording: row.wording, at: new Date(row.at).toISOString(),
  };
}

/** Every consent decision of a contact, oldest first: the proof of who agreed to what, when, where and how. */
export async function consentHistory(db: Db, contactId: string): Promise<ConsentHistoryEntry[]> {
  const rows = await db.selectFrom('consent_log').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').execute();
  return rows.map(historyEntry);
}

/** The contact's current consent per channel (channels never asked about are absent). */
export async function currentConsents(db: Db, contactId: string): Promise<Record<string, CurrentConsent>> {
  const rows = await db.selectFrom('consents').selectAll().where('contact_id', '=', contactId).orderBy('channel').execute();
  return Object.fromEntries(rows.map((r) => [r.channel, { granted: r.granted === 1, source: r.source, at: new Date(r.updated_at).toISOString() }]));
}
