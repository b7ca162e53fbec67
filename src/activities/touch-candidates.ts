import type { ContactRow } from '../db/schema';
import type { Db } from '../db/database';
import type { FallbackContent, TouchStep } from '../dsl/plan';
import { consentFor } from '../db/contacts';
import { suppressionOf } from '../consent/suppressions';
import { addressOn } from '../contacts/addresses';
import { askContent } from './ask-content';
import { latestPushSubscription } from '../db/push-subscriptions';

/** One way to deliver a touch: a channel and the content written for it. */
export type Candidate = FallbackContent & { webinar?: string };

/** The touch's own content first, then its fallbacks in the order the marketer wrote them. */
export function candidatesOf(touch: TouchStep): Candidate[] {
  const own: Candidate = (() => {
    switch (touch.type) {
      case 'email': return { channel: 'email', subject: touch.subject, html: touch.html, text: touch.text, preheader: touch.preheader };
      case 'sms': return { channel: 'sms', text: touch.text };
      case 'telegram': return { channel: 'telegram', text: touch.text, parseMode: touch.parseMode, photo: touch.photo, document: touch.document, buttons: touch.buttons };
      case 'vk': return { channel: 'vk', text: touch.text, buttons: touch.buttons, attachments: touch.attachments };
      case 'webinarInvite': return touch.via === 'email'
        ? { channel: 'email', subject: touch.subject ?? '', html: touch.html, text: touch.text, webinar: touch.webinar }
        : { channel: 'telegram', text: touch.text, buttons: touch.buttons, webinar: touch.webinar };
      case 'ask': return askContent(touch);
      case 'push': return { channel: 'push', title: touch.title, body: touch.body, url: touch.url, icon: touch.icon };
    }
  })();
  const fallbacks = (touch.fallback ?? []).map((f): Candidate => (touch.type === 'webinarInvite' ? { ...f, webinar: touch.webinar } : f));
  return [own, ...fallbacks];
}

/**
 * The contact's address on a channel, or why the channel cannot be used: no handle, no consent, suppressed (the
 * keyed hashes of erased addresses included, so an erased address re-imported into a new contact is not messaged).
 */
export async function addressFor(db: Db, contact: ContactRow, channel: Candidate['channel'], secretKey: string): Promise<{ address: string } | { unreachable: string }> {
  // A push address is the contact's newest browser subscription (its id); subscribing is the consent, removing it the withdrawal.
  if (channel === 'push') {
    const sub = await latestPushSubscription(db, contact.id);
    if (!sub) return { unreachable: 'no_address' };
    return (await consentFor(db, contact.id, 'push')) === false ? { unreachable: 'no_consent' } : { address: sub.id };
  }
  const address = addressOn(contact, channel);
  if (!address) return { unreachable: 'no_address' };
  if ((await consentFor(db, contact.id, channel)) !== true) return { unreachable: 'no_consent' };
  const suppressed = await suppressionOf(db, channel, address, secretKey);
  if (suppressed) return { unreachable: `suppressed:${suppressed}` };
  return { address };
}

/**
 * Why the contact cannot be reached on any channel it has, for good: every channel with an address has its consent
 * withdrawn or the address suppressed (`['email: no_consent', 'sms: suppressed:stop']`). Null when some channel may
 * still work — it is usable, or its consent was never asked — or when the contact has no address at all yet.
 */
export async function lastingUnreachability(db: Db, contact: ContactRow, secretKey: string): Promise<string[] | null> {
  const why: string[] = [];
  for (const channel of ['email', 'sms', 'telegram', 'vk'] as const) {
    const found = await addressFor(db, contact, channel, secretKey);
    if ('address' in found) return null;
    if (found.unreachable === 'no_address') continue;
    if (found.unreachable === 'no_consent' && (await consentFor(db, contact.id, channel)) !== false) return null;
    why.push(`${channel}: ${found.unreachable}`);
  }
  return why.length > 0 ? why : null;
}
