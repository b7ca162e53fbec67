import type { Channel } from '../channel';

/** A browser's subscription as the Push API gives it: the push service endpoint and the keys to encrypt for. */
export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** What the service worker shows: a title, a body, the (tracked) URL a click opens, an optional icon. */
export interface PushPayload {
  title: string;
  body: string;
  url?: string | undefined;
  icon?: string | undefined;
  /** Replaces an earlier notification with the same tag instead of stacking (the delivery id). */
  tag?: string | undefined;
}

/** A web push notification ready to go out to one browser. */
export interface PushMessage {
  target: PushTarget;
  payload: PushPayload;
}

/** The web push channel (the Web Push protocol with VAPID). */
export type PushChannel = Channel<PushMessage>;

/** The VAPID key pair (base64url, P-256) and contact (`mailto:` or `https:`) the push services see. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}
