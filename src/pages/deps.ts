import type { ContactRow } from '../db/schema';
import type { EngineDeps } from '../engine/deps';

/** What page and form routes need: the engine, the signing key, the public base URL, optional extra links. */
export type PageDeps = EngineDeps & {
  /** HMAC key of page links (SECRET_KEY). */
  secretKey: string;
  /** Base of every link a page or redirect carries (PUBLIC_URL). */
  publicUrl: string;
  /**
   * Extra links a page template sees under `links.<name>` (payment, webinar room, …). Called once per page view;
   * its names never replace `links.pages`.
   */
  pageLinks?: (contact: ContactRow, funnelId: string) => Promise<Record<string, string>>;
  /** The contact's Telegram deep link (`links.telegram`) when a bot is configured; null leaves it out. */
  telegramLink?: (contactId: string) => Promise<string | null>;
  /** The VAPID public key: pages of funnels that send web push offer the subscription; null or absent, they do not. */
  pushKey?: string | null | undefined;
  /** The bot's username, for `{{ links.referral }}` on pages of funnels without a lead form. */
  telegramBot?: string | null | undefined;
};
