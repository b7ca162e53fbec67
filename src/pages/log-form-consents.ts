import type { Db } from '../db/database';
import { newId } from '../db/ids';
import type { GrantedConsent } from './form-input';

/** Where and how a consent was given: the proof 38-FZ asks for besides the wording. */
export interface ConsentOrigin {
  source: string;
  ip: string | null;
  userAgent: string | null;
  at: number;
}

/** Appends one `consent_log` row per consent given on a form: channel, granted, source, IP, user agent, exact wording. */
export async function logFormConsents(db: Db, contactId: string, consents: readonly GrantedConsent[], origin: ConsentOrigin): Promise<void> {
  if (consents.length === 0) return;
  await db.insertInto('consent_log').values(consents.map((c) => ({
    id: newId('cl'), contact_id: contactId, channel: c.channel, granted: 1, source: origin.source,
    ip: origin.ip, user_agent: origin.userAgent?.slice(0, 500) ?? null, wording: c.wording, at: origin.at,
  }))).execute();
}
