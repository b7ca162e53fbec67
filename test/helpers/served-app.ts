import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import type { Plan } from '../../src/dsl/plan';
import type { EngineDeps } from '../../src/engine/deps';
import type { WorkflowGateway } from '../../src/temporal/gateway';
import { freshDatabase } from './test-db';
import { storeFunnelVersions } from '../../src/db/funnels';
import { FunnelRegistry } from '../../src/engine/registry';
import { createServerApp, type ServerAppOptions } from '../../src/runtime/server-app';
import { createEmailOutbox, createSmsOutbox, createTelegramOutbox } from '../../src/channels/outbox';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { silentLogger, type Logger } from '../../src/log';
import { FakeGateway } from './fake-gateway';
import { serveApp, type ServedApp } from './serve-app';

/** The credentials of every served test app. */
export const SERVED = {
  apiToken: 'served-token-0123456789abcdef',
  secretKey: 'served-secret-key-0123456789abcdef',
  adminPassword: 'served-admin-password',
  publicUrl: 'https://funnels.example.test',
  /** A VAPID public key (npm start always has one: generated once, or VAPID_PUBLIC_KEY), so `/push/*` is served too. */
  pushKey: 'BKXN8wG7nCdX0s2bXz1ZCqGx9mDZ2f8tB1c3oQ6m1gkXy7s2z3mW0yqkYb5rj3m7nJbKXoQ0vTe8aH2hFq4wR9s',
} as const;

/** A request's answer over the socket: status, headers, and the body as text and (when it parses) JSON. */
export interface SocketAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** The app `npm start` serves (createServerApp), on a loopback port, over a fresh database (the run's: SQLite or PostgreSQL). */
export interface ServedTestApp extends ServedApp {
  db: Db;
  deps: EngineDeps;
  /** The fake gateway, unless a real one was passed. */
  gateway: FakeGateway | WorkflowGateway;
  /** A request over the socket; objects are sent as JSON; the bearer token is added unless `headers.authorization` is given (null: none). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string | null>): Promise<SocketAnswer>;
  /** Row counts of the given tables. */
  counts<T extends keyof Database>(...tables: T[]): Promise<Record<T, number>>;
  stop(): Promise<void>;
}

/** Options: the funnels (with their webinars synced), the gateway (default a FakeGateway), the clock, the logger. */
export interface ServedOptions {
  plans: Plan[];
  gateway?: WorkflowGateway;
  now?: () => number;
  log?: Logger;
  /** Optional surfaces (the Telegram and SMS webhooks), built from the engine deps. */
  extra?: (deps: EngineDeps) => Partial<ServerAppOptions>;
}

/** Starts the served app; `stop()` closes the port and the database and removes it. */
export async function startServedApp(o: ServedOptions): Promise<ServedTestApp> {
  const { db, close } = await freshDatabase();
  const now = o.now ?? Date.now;
  const funnels = o.plans.map((plan) => ({ plan, version: `${plan.id}-v1` }));
  await storeFunnelVersions(db, funnels, now());
  await syncWebinars(db, o.plans, now());
  const gateway = o.gateway ?? new FakeGateway();
  const deps: EngineDeps = { db, gateway, funnels: new FunnelRegistry(funnels), log: o.log ?? silentLogger, now };
  const app = createServerApp(deps, {
    apiToken: SERVED.apiToken, secretKey: SERVED.secretKey, adminPassword: SERVED.adminPassword, publicUrl: SERVED.publicUrl,
    trustProxy: false, outboxChannels: ['email', 'sms', 'telegram'], pushKey: SERVED.pushKey,
    // As npm start does: every channel without a provider goes to the dev outbox, test sends included.
    testSend: {
      email: createEmailOutbox(db), sms: createSmsOutbox(db), telegram: createTelegramOutbox(db), mailFrom: 'autofunnel <noreply@localhost>',
      publicUrl: SERVED.publicUrl, secretKey: SERVED.secretKey, telegramBot: null,
    },
    ...o.extra?.(deps),
  });
  const served = await serveApp(app);
  const api: ServedTestApp['api'] = async (method, path, body, headers = {}) => {
    const h: Record<string, string> = {};
    if (!('authorization' in headers)) h.authorization = `Bearer ${SERVED.apiToken}`;
    if (body !== undefined && typeof body !== 'string' && !(body instanceof URLSearchParams)) h['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(headers)) if (v !== null) h[k] = v;
    const res = await fetch(`${served.url}${path}`, {
      method, headers: h, redirect: 'manual',
      ...(body !== undefined && { body: typeof body === 'string' || body instanceof URLSearchParams ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  };
  const counts: ServedTestApp['counts'] = async (...tables) => {
    const out = {} as Record<(typeof tables)[number], number>;
    for (const t of tables) {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db);
      out[t] = Number(row.rows[0]?.n ?? 0);
    }
    return out;
  };
  const stop = async () => {
    await served.close();
    await close();
  };
  return { ...served, db, deps, gateway, api, counts, stop };
}
