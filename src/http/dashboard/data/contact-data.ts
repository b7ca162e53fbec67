import { sql } from 'kysely';
import type { Db } from '../../../db/database';
import { contactTimeZone, isTimeZone } from '../../../time/zones';
import type { ConsentLogRow, ConsentRow, ContactRow, EnrollmentRow } from '../../../db/schema';

/** A contact's card: the row, current consents, the consent history, and its enrollments (newest first). */
export interface ContactCard {
  contact: ContactRow;
  consents: ConsentRow[];
  consentLog: ConsentLogRow[];
  enrollments: EnrollmentRow[];
}

/** The contact and what the card shows about it, or undefined for an unknown id. */
export async function loadContactCard(db: Db, id: string): Promise<ContactCard | undefined> {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', id).where('erased_at', 'is', null).executeTakeFirst();
  if (!contact) return undefined;
  const [consents, consentLog, enrollments] = await Promise.all([
    db.selectFrom('consents').selectAll().where('contact_id', '=', id).orderBy('channel').execute(),
    db.selectFrom('consent_log').selectAll().where('contact_id', '=', id).orderBy('at', 'desc').orderBy('id', 'desc').limit(500).execute(),
    db.selectFrom('enrollments').selectAll().where('contact_id', '=', id).orderBy('enrolled_at', 'desc').orderBy('id', 'desc').execute(),
  ]);
  return { contact, consents, consentLog, enrollments };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Contacts matching a search: exact id or external id, or an email, name or phone containing the text (phones
 * compared by their digits, so "+7 (900) 123" finds +7900123…). At most `limit`, newest first; blank finds nothing.
 */
export async function searchContacts(db: Db, text: string, limit = 50): Promise<ContactRow[]> {
  const q = text.trim();
  if (!q) return [];
  const like = `%${likeEscape(q.toLowerCase())}%`;
  // lower() folds Cyrillic too (SQLite's is replaced in db/database.ts); names are also compared as typed.
  const asTyped = `%${likeEscape(q)}%`;
  const digits = q.replace(/\D/g, '');
  return db.selectFrom('contacts').selectAll().where('erased_at', 'is', null)
    .where((eb) => eb.or([
      eb('id', '=', q),
      eb('external_id', '=', q),
      eb(sql`lower(email)`, 'like', sql`${like} escape '\\'`),
      eb(sql`lower(name)`, 'like', sql`${like} escape '\\'`),
      eb(sql`name`, 'like', sql`${asTyped} escape '\\'`),
      ...(digits.length >= 3 ? [eb('phone', 'like', `%${digits}%`)] : []),
    ]))
    .orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

/** The zone a contact's times are shown in: its own, else the funnel zone of its newest enrollment, else UTC. */
export function contactZone(card: ContactCard, funnelZone: (funnelId: string) => string | undefined): string {
  const funnel = card.enrollments.map((e) => funnelZone(e.funnel_id)).find((z) => z !== undefined && isTimeZone(z));
  return contactTimeZone(card.contact.timezone, funnel ?? 'UTC');
}
