import type { Db } from './database';
import type { ContactRow } from './schema';
import type { Contact, ContactInput } from '../contacts/input';
import { newId } from './ids';
import { ConflictError } from '../errors';
import { parseJsonObject } from './json';

/** Which identity a lookup uses; the first present one wins. */
export interface ContactRef {
  contactId?: string | undefined;
  externalId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** Finds a contact by id, externalId, email or phone (first given wins). */
export async function findContact(db: Db, ref: ContactRef): Promise<ContactRow | undefined> {
  const q = db.selectFrom('contacts').selectAll();
  if (ref.contactId) return q.where('id', '=', ref.contactId).executeTakeFirst();
  if (ref.externalId) return q.where('external_id', '=', ref.externalId).executeTakeFirst();
  if (ref.email) return q.where('email', '=', ref.email.toLowerCase()).executeTakeFirst();
  if (ref.phone) return q.where('phone', '=', ref.phone).executeTakeFirst();
  return undefined;
}

/**
 * Upserts by externalId, then email, then phone; attributes merge; consents record their source. Atomic.
 * `id` names a new contact instead of a random id (the simulator's personas, so their runs repeat exactly).
 */
export async function upsertContact(db: Db, input: ContactInput, source: string, now = Date.now(), id?: string): Promise<{ contact: ContactRow; created: boolean }> {
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
    for (const [channel, granted] of Object.entries(input.consent ?? {})) {
      if (granted === undefined) continue;
      await trx.insertInto('consents').values({ contact_id: contact.id, channel, granted: granted ? 1 : 0, source, updated_at: now })
        .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted: granted ? 1 : 0, source, updated_at: now }))
        .execute();
    }
    return { contact, created: !existing };
  });
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
