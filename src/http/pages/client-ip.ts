import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Reads the client's address from a request; null when it cannot be known. */
export type ClientIp = (c: Context) => string | null;

/**
 * The client's address. Behind a trusted reverse proxy (`trustProxy`) it is the last `X-Forwarded-For` entry — the
 * address that proxy saw, which the client cannot forge by sending its own header; otherwise the socket's peer.
 * Null when neither is known (e.g. `app.request()` in tests, where there is no socket).
 */
export function clientIp(trustProxy: boolean): ClientIp {
  return (c) => {
    if (trustProxy) {
      const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
      const last = hops[hops.length - 1];
      if (last) return last;
    }
    try {
      return getConnInfo(c).remote.address ?? null;
    } catch {
      return null;
    }
  };
}
