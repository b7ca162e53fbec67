import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';

/** How much of a refused body is read and thrown away so the client can read the answer. */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;
/** How long a refused body is drained at most. */
const DRAIN_MAX_MS = 2000;

/** Reads and discards the rest of a body stream; resolves at its end, after `maxBytes`, or after `maxMs`. */
async function drain(body: ReadableStream<Uint8Array>, maxBytes: number, maxMs: number): Promise<void> {
  const reader = body.getReader();
  const deadline = Date.now() + maxMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), maxMs); });
  let read = 0;
  try {
    while (read <= maxBytes && Date.now() < deadline) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === 'timeout' || next.done) break;
      read += next.value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/**
 * An answer given before the request body was read (413 too large, 401 without a token, 404) ends the connection:
 * the rest of the body is drained first (up to 16 MiB / 2 s) so the client reads the answer instead of a reset, and
 * the answer says `Connection: close`, so a keep-alive client sends its next request on a fresh connection instead of
 * one the server is about to drop. Only under `@hono/node-server` (`c.env.incoming`); in-process requests have no socket.
 */
export function closeAfterUnreadBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || incoming.complete || incoming.method === 'GET' || incoming.method === 'HEAD') return;
    try {
      c.res.headers.set('Connection', 'close');
    } catch { // immutable headers (a redirect): copy the answer
      const headers = new Headers(c.res.headers);
      headers.set('Connection', 'close');
      c.res = new Response(c.res.body, { status: c.res.status, headers });
    }
    const body = c.req.raw.body;
    if (body && !body.locked) await drain(body, DRAIN_MAX_BYTES, DRAIN_MAX_MS);
  };
}
