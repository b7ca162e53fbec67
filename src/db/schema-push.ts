/** One browser's Push API subscription, given on a funnel page (migration 0018). */
export interface PushSubscriptionsTable {
  id: string;
  contact_id: string;
  /** The push service URL the browser handed out; unique, so a browser that subscribes again updates its row. */
  endpoint: string;
  /** The browser's P-256 public key and auth secret (base64url) the payload is encrypted for. */
  p256dh: string;
  auth: string;
  /** The page it was given on. */
  funnel_id: string | null;
  page_id: string | null;
  user_agent: string | null;
  created_at: number;
}

/** The tables of migration 0018, as kysely sees them. */
export interface PushTables {
  push_subscriptions: PushSubscriptionsTable;
}
