import { mac, signToken, verifyToken } from '../security/signed-token';

/** Token purposes; a token signed for one never verifies for another. */
const OPEN = 'open';
const UNSUBSCRIBE = 'unsubscribe';
const BOUNCE_WEBHOOK = 'bounce-webhook';

/** The base URL without trailing slashes, so `${base}/t/…` never has a double slash. */
export function trimBase(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/** The open-pixel token of a delivery: proves the pixel URL was minted by us for that delivery. */
export function openToken(secretKey: string, deliveryId: string): string {
  return signToken(secretKey, OPEN, deliveryId);
}

/** The delivery id an open-pixel token carries, or null when it is forged. */
export function verifyOpenToken(secretKey: string, token: string | undefined): string | null {
  return verifyToken(secretKey, OPEN, token);
}

/** What an unsubscribe token authorises: changing this contact's consents, crediting this delivery (if any). */
export interface UnsubscribeClaim {
  contactId: string;
  deliveryId: string | null;
}

/** The unsubscribe token of a contact (and the delivery that carried the link): `<contactId>~<deliveryId>.<mac>`. */
export function unsubscribeToken(secretKey: string, contactId: string, deliveryId?: string): string {
  if (contactId.includes('~')) throw new Error('unsubscribeToken: contactId must not contain "~"');
  return signToken(secretKey, UNSUBSCRIBE, deliveryId ? `${contactId}~${deliveryId}` : contactId);
}

/** The claim an unsubscribe token carries, or null when it is forged, truncated or signed for something else. */
export function verifyUnsubscribeToken(secretKey: string, token: string | undefined): UnsubscribeClaim | null {
  const value = verifyToken(secretKey, UNSUBSCRIBE, token);
  if (!value) return null;
  const tilde = value.indexOf('~');
  if (tilde === 0) return null;
  return tilde < 0 ? { contactId: value, deliveryId: null } : { contactId: value.slice(0, tilde), deliveryId: value.slice(tilde + 1) || null };
}

/** The signed unsubscribe page of a contact, for templates (`{{ links.unsubscribe }}`) and the List-Unsubscribe header. */
export function unsubscribeUrl(publicUrl: string, secretKey: string, contactId: string, deliveryId?: string): string {
  return `${trimBase(publicUrl)}/u/${unsubscribeToken(secretKey, contactId, deliveryId)}`;
}

/** The `token` query value the email bounce webhook requires; stable for a given SECRET_KEY. */
export function bounceWebhookToken(secretKey: string): string {
  return mac(secretKey, BOUNCE_WEBHOOK, 'email');
}

/** The full bounce webhook URL to give an MTA or ESP. */
export function bounceWebhookUrl(publicUrl: string, secretKey: string): string {
  return `${trimBase(publicUrl)}/webhooks/email/bounce?token=${bounceWebhookToken(secretKey)}`;
}
