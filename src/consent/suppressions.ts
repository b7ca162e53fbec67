import type { Db } from '../db/database';
import { erasedAddressKey } from './erased-addresses';

/** Addresses compare as the channel stores them: email case-insensitively, phone and chat ids exactly. */
export function normalizeAddress(channel: string, address: string): string {
  const trimmed = address.trim();
  return channel === 'email' ? trimmed.toLowerCase() : trimmed;
}

/**
 * Why nothing may be sent to this address on this channel (hard bounce, bot blocked, STOP reply, `erased`), or null.
 * With the secret key, the keyed hashes of erased addresses are checked too: an address whose contact was erased
 * stays suppressed when it comes back in a new contact.
 */
export async function suppressionOf(db: Db, channel: string, address: string, secretKey?: string): Promise<string | null> {
  const keys = [normalizeAddress(channel, address), ...(secretKey ? [erasedAddressKey(secretKey, channel, address)] : [])];
  const row = await db.selectFrom('suppressions').select('reason')
    .where('channel', '=', channel).where('address', 'in', keys).orderBy('at').executeTakeFirst();
  return row?.reason ?? null;
}

/** True when nothing may be sent to this address on this channel (see `suppressionOf`). */
export async function isSuppressed(db: Db, channel: string, address: string, secretKey?: string): Promise<boolean> {
  return (await suppressionOf(db, channel, address, secretKey)) !== null;
}

/** Suppresses an address on a channel; the first reason and time are kept. Returns true when it was not suppressed before. */
export async function suppress(db: Db, entry: { channel: string; address: string; reason: string; at: number }): Promise<boolean> {
  const result = await db.insertInto('suppressions')
    .values({ channel: entry.channel, address: normalizeAddress(entry.channel, entry.address), reason: entry.reason, at: entry.at })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Lifts a suppression (an address fixed by the contact, an operator's decision); true when there was one. */
export async function unsuppress(db: Db, channel: string, address: string): Promise<boolean> {
  const result = await db.deleteFrom('suppressions')
    .where('channel', '=', channel).where('address', '=', normalizeAddress(channel, address)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
