import type { Db } from './database';
import type { ContactRow } from './schema';
import type { Scalar } from '../dsl/plan';
import type { Contact, ContactInput } from '../contacts/input';
import { newId } from './ids';
import { ConflictError } from '../errors';
import { parseJsonObject } from './json';
import { writeConsent } from '../consent/record-consent';
import { mergedInto } from '../contacts/contact-merges';
import { hasSource, sourceKey, type LeadSource, type StoredSource } from '../contacts/lead-source';

/** Which identity a lookup uses; the first present one wins. */
export interface ContactRef {
  contactId?: string | undefined;
  externalId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/**
 * Finds a contact by id, externalId, email or phone (first given wins); an erased contact is not found. The id of a
 * contact merged into another (see contacts/merge-contacts) finds the one it was merged into.
 */
export async function findContact(db: Db, ref: ContactRef): Promise<ContactRow | undefined> {
  const q = db.selectFrom('contacts').selectAll().where('erased_at', 'is', null);
  if (ref.contactId) {
    const found = await q.where('id', '=', ref.contactId).executeTakeFirst();
    if (found) return found;
    // Running workflows, CRMs and old links keep a merged-away id: it names the surviving contact.
    const into = await mergedInto(db, ref.contactId);
    return into === null ? undefined : q.where('id', '=', into).executeTakeFirst();
  }
  if (ref.externalId) return q.where('external_id', '=', ref.externalId).executeTakeFirst();
  if (ref.email) return q.where('email', '=', ref.email.toLowerCase()).executeTakeFirst();
  if (ref.phone) return q.where('phone', '=', ref.phone).executeTakeFirst();
  return undefined;
}

/** Where the consents of an upsert come from and their proof; `wordings` gives one wording per channel (a form's boxes). */
export interface ConsentOrigin {
  source: string;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  wording?: string | null | undefined;
  wordings?: Partial<Record<string, string>>;
  /** The secret key, when the person gave the consent themselves (a form): lifts an erasure suppression of the address. */
  erasureKey?: string | undefined;
}

/** The consent origin of an API upsert: source `api` (or `api:<consentProof.source>`), with the client's proof. */
export function apiConsentOrigin(input: ContactInput): ConsentOrigin {
  const p = input.consentProof;
  return { source: p?.source ? `api:${p.source}` : 'api', ip: p?.ip, userAgent: p?.userAgent, wording: p?.wording };
}

/**
 * Upserts by externalId, then email, then phone; attributes merge. Every consent given is a decision with its proof:
 * the current state and a `consent_log` row (source, time, wording, IP, user agent) are written with the contact,
 * atomically. Erased contacts are never matched. `id` names a new contact instead of a random id (the simulator's
 * personas, so their runs repeat exactly).
 */
export async function upsertContact(db: Db, input: ContactInput, origin: string | ConsentOrigin, now = Date.now(), id?: string): Promise<{ contact: ContactRow; created: boolean }> {
  const o: ConsentOrigin = typeof origin === 'string' ? { source: origin } : origin;
  return db.transaction().execute(async (trx) => {
    const email = input.email?.toLowerCase();
    const existing =
      (input.externalId && (await findContact(trx, { externalId: input.externalId }))) ||
      (email && (await findContact(trx, { email }))) ||
      (input.phone && (await findContact(trx, { phone: input.phone }))) ||
      undefined;
    for (const [key, value] of [['externalId', input.externalId], ['email', email], ['phone', input.phone]] as const) {
      if (value === undefined) continue;
      const owner = await findContact(trx, { [key]: value });
      if (owner && owner.id !== existing?.id) {
        throw new ConflictError(`${key} ${JSON.stringify(value)} already belongs to contact ${owner.id}`, { field: key, contactId: owner.id });
      }
    }
    if (existing && input.externalId !== undefined && existing.external_id !== null && existing.external_id !== input.externalId) {
      throw new ConflictError(`contact ${existing.id} already has externalId ${JSON.stringify(existing.external_id)}`, { field: 'externalId', contactId: existing.id });
    }
    const fields = {
      ...(input.externalId !== undefined && { external_id: input.externalId }),
      ...(email !== undefined && { email }),
      ...(input.phone !== undefined && { phone: input.phone }),
      ...(input.telegramChatId !== undefined && { telegram_chat_id: input.telegramChatId }),
      ...(input.vkUserId !== undefined && { vk_user_id: input.vkUserId }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.locale !== undefined && { locale: input.locale }),
      ...(input.test !== undefined && { test: input.test ? 1 : 0 }),
    };
    let contact: ContactRow;
    if (existing) {
      const attributes = JSON.stringify({ ...parseJsonObject(existing.attributes), ...input.attributes });
      contact = await trx.updateTable('contacts').set({ ...fields, attributes, updated_at: now })
        .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    } else {
      contact = await trx.insertInto('contacts').values({
        id: id ?? newId('ct'), external_id: null, email: null, phone: null, telegram_chat_id: null, name: null, timezone: null, locale: null,
        ...fields, attributes: JSON.stringify(input.attributes ?? {}), created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow();
    }
    if (hasSource(input.source)) contact = await recordLeadSource(trx, contact, input.source, now);
    for (const [channel, granted] of Object.entries(input.consent ?? {})) {
      if (granted === undefined) continue;
      await writeConsent(trx, {
        contactId: contact.id, channel, granted, source: o.source, at: now, ip: o.ip, userAgent: o.userAgent,
        wording: o.wordings?.[channel] ?? o.wording, erasureKey: granted ? o.erasureKey : undefined,
      });
    }
    return { contact, created: !existing };
  });
}

/**
 * Keeps where a lead came from: every source given becomes the contact's latest; the first one ever given also
 * becomes its first (with the key and campaign the stats group by), and is never replaced.
 */
export async function recordLeadSource(db: Db, contact: ContactRow, source: LeadSource, now: number): Promise<ContactRow> {
  const stored: StoredSource = { ...source, key: sourceKey(source), at: new Date(now).toISOString() };
  const json = JSON.stringify(stored);
  const first = contact.source_first === null
    ? { source_first: json, source: stored.key, campaign: source.utm_campaign ?? null }
    : {};
  return db.updateTable('contacts').set({ ...first, source_latest: json }).where('id', '=', contact.id).returningAll().executeTakeFirstOrThrow();
}

/** The contact's first and latest source as the API answers them; null when none was ever captured. */
export function sourceView(row: ContactRow): { key: string; campaign: string | null; first: StoredSource; latest: StoredSource } | null {
  if (row.source_first === null) return null;
  const first = JSON.parse(row.source_first) as StoredSource;
  const latest = row.source_latest === null ? first : (JSON.parse(row.source_latest) as StoredSource);
  return { key: row.source ?? first.key, campaign: row.campaign, first, latest };
}

/** The contact with its consents, shaped for the API. */
export async function contactView(db: Db, row: ContactRow): Promise<Contact> {
  const consents = await db.selectFrom('consents').selectAll().where('contact_id', '=', row.id).execute();
  return {
    id: row.id,
    externalId: row.external_id,
    email: row.email,
    phone: row.phone,
    telegramChatId: row.telegram_chat_id,
    vkUserId: row.vk_user_id,
    name: row.name,
    timezone: row.timezone,
    locale: row.locale,
    attributes: parseJsonObject(row.attributes) as Contact['attributes'],
    consent: Object.fromEntries(consents.map((c) => [c.channel, { granted: c.granted === 1, source: c.source, at: new Date(c.updated_at).toISOString() }])),
    test: row.test === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The consent a contact gave on a channel: true, false, or undefined when never asked. */
export async function consentFor(db: Db, contactId: string, channel: string): Promise<boolean | undefined> {
  const row = await db.selectFrom('consents').select('granted').where('contact_id', '=', contactId).where('channel', '=', channel).executeTakeFirst();
  return row ? row.granted === 1 : undefined;
}

/** Writes one attribute of a contact (null removes it), keeping the others; a merged-away id writes the survivor. */
export async function setContactAttribute(db: Db, contactId: string, key: string, value: Scalar | null, now: number): Promise<void> {
  const id = (await mergedInto(db, contactId)) ?? contactId;
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('contacts').select('attributes').where('id', '=', id).executeTakeFirst();
    if (!row) return;
    const attributes = parseJsonObject(row.attributes);
    if (value === null) delete attributes[key];
    else attributes[key] = value;
    await trx.updateTable('contacts').set({ attributes: JSON.stringify(attributes), updated_at: now }).where('id', '=', id).execute();
  });
}
