import { verifyStartPayload } from './start-link';
import { REFERRAL_CODE } from '../../referrals/referral-codes';

/**
 * A public source payload (`/start vk_ads`): 1–32 lower-case latin letters, digits, `_` and `-`, starting with a
 * letter or digit, and not `ref_…`. Anyone may put it into a link (`https://t.me/<bot>?start=vk_ads`); it only says
 * where the subscriber came from. The signed deep link (`c…`/`r…` + 22-character MAC, 24+ characters, mixed case) is a
 * different shape and is checked first.
 */
export const PUBLIC_SOURCE = /^(?!ref_)[a-z0-9][a-z0-9_-]{0,31}$/;

/** What a /start payload is. */
export type StartPayload =
  | { kind: 'bare' }
  | { kind: 'signed'; contactId: string }
  | { kind: 'referral'; code: string }
  | { kind: 'source'; source: string }
  /** Neither: a mangled or forged link, or one signed with an earlier SECRET_KEY. Treated as a bare /start. */
  | { kind: 'invalid' };

/** Reads a /start payload: bare, a signed contact link, `ref_<code>`, a public source, or invalid. */
export function classifyStartPayload(secretKey: string, payload: string): StartPayload {
  if (payload === '') return { kind: 'bare' };
  const contactId = verifyStartPayload(secretKey, payload);
  if (contactId !== null) return { kind: 'signed', contactId };
  if (payload.startsWith('ref_')) {
    const code = payload.slice(4);
    return REFERRAL_CODE.test(code) ? { kind: 'referral', code } : { kind: 'invalid' };
  }
  if (PUBLIC_SOURCE.test(payload)) return { kind: 'source', source: payload };
  return { kind: 'invalid' };
}
