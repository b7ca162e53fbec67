import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { EngineDeps } from '../../engine/deps';

/** What the tracking, unsubscribe and bounce routes need besides the engine. */
export type TrackingRouteDeps = EngineDeps & {
  /** HMAC key of every signed link (SECRET_KEY). */
  secretKey: string;
  /** Base of the links put into messages (PUBLIC_URL). */
  publicUrl: string;
  /**
   * The person's address for the consent proof; default: the socket's peer. Pass the proxy-aware reader
   * when the server runs behind a reverse proxy.
   */
  clientIp?: (c: Context) => string | null;
};

/** The socket's peer address, or null when there is none (`app.request()` in tests). */
export function socketIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
