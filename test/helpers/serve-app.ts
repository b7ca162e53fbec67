import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** An app listening on an ephemeral loopback port, as `npm start` serves it (`@hono/node-server`). */
export interface ServedApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  server: ServerType;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 with a port the OS picks; `close()` also ends keep-alive connections. */
export async function serveApp(app: Hono): Promise<ServedApp> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, port, server,
    close: () => new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
