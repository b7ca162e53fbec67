import type { Db } from '../db/database';
import { mac } from '../security/signed-token';
import { normalizeAddress } from './suppressions';

/** The suppression reason of an address whose contact was erased (lifted by the person's own new consent). */
export const ERASED_REASON = 'erased';

const PREFIX = 'erased:';

/**
 * The keyed hash (HMAC-SHA256 with SECRET_KEY) an erased address is suppressed under: the same address always maps
 * to the same key, so it stays recognisable, while the stored value says nothing about the address itself.
 */
export function erasedAddressKey(secretKey: string, channel: string, address: string): string {
  return `${PREFIX}${mac(secretKey, `erased-address:${channel}`, normalizeAddress(channel, address))}`;
}

/** True for a suppression key made by `erasedAddressKey` (never a real address). */
export function isErasedAddressKey(address: string): boolean {
  return address.startsWith(PREFIX);
}

/**
 * Lifts the erasure suppression of an address after a new consent the person gave themselves (the consent endpoint,
 * a lead form, the bot's /start). Suppressions with another reason (a hard bounce, a STOP reply) stay.
 */
export async function liftErasedSuppression(db: Db, secretKey: string, channel: string, address: string): Promise<boolean> {
  const result = await db.deleteFrom('suppressions')
    .where('channel', '=', channel).where('address', '=', erasedAddressKey(secretKey, channel, address)).where('reason', '=', ERASED_REASON)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
