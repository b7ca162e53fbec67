import { expect } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import type { NewEnrollmentRow } from '../../src/db/schema';
import type { Plan } from '../../src/dsl/plan';
import type { Logger } from '../../src/log';
import { freshDatabase } from '../helpers/test-db';
import { storeFunnelVersions } from '../../src/db/funnels';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp, type AppDeps } from '../../src/http/app';
import { FakeGateway } from '../helpers/fake-gateway';
import type { EngineDeps } from '../../src/engine/deps';

/** The bearer token every test app accepts. */
export const TOKEN = 'test-token-0123456789';
/** The secret key of every test app (erased addresses are hashed with it). */
export const TEST_APP_SECRET = 'test-app-secret-0123456789';
/** One day in ms. */
export const DAY = 86_400_000;
/** The engine clock of every test app starts here. */
export const T0 = Date.parse('2025-03-01T10:00:00Z');

const base = { timezone: 'UTC', attributes: [], events: [] };

/** A funnel entered by the `signed_up` event, with two email touches and an `order.paid` goal. */
export const welcomePlan: Plan = {
  ...base, id: 'welcome', name: 'Welcome', entry: 'signed_up',
  goal: { event: 'order.paid', withinMs: 7 * DAY, exit: true },
  steps: [
    { type: 'email', id: 'hello', subject: 'Hello', text: 'Hi {{ contact.name }}' },
    { type: 'wait', id: 'pause', ms: DAY },
    { type: 'email', id: 'nudge', subject: 'Still there?', text: 'Come back' },
  ],
};

/** A funnel without an entry event: contacts join only through the API. */
export const manualPlan: Plan = {
  ...base, id: 'manual', name: 'Manual', entry: null,
  goal: { event: 'demo.booked', withinMs: 3 * DAY, exit: true },
  steps: [{ type: 'email', id: 'invite', subject: 'Book a demo', text: 'Please' }],
};

/** A logger that keeps error records so tests can see what was logged. */
export function recordingLogger() {
  const errors: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (msg, fields) => { errors.push({ msg, fields }); } };
  return { log, errors };
}

/** An app over a fresh database (the run's: SQLite or PostgreSQL) and a fake gateway. */
export interface TestApp {
  app: Hono;
  db: Db;
  gateway: FakeGateway;
  /** The engine deps the app runs on (for calling engine functions directly). */
  deps: EngineDeps;
  errors: ReturnType<typeof recordingLogger>['errors'];
  clock: { now: number };
  /** An authenticated request; objects are sent as JSON, strings as they are. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Row counts of the tables a request could write. */
  counts(): Promise<Record<'contacts' | 'consents' | 'events' | 'enrollments', number>>;
  close(): Promise<void>;
}

/** Builds a test app; `extra` is passed to createApp. */
export async function createTestApp(opts: Partial<Pick<AppDeps, 'maxBodyBytes' | 'extra' | 'public' | 'testSend'>> = {}): Promise<TestApp> {
  const fresh = await freshDatabase();
  const { db } = fresh;
  const funnels = [{ plan: welcomePlan, version: 'v1' }, { plan: manualPlan, version: 'm1' }];
  await storeFunnelVersions(db, funnels, T0);
  const gateway = new FakeGateway();
  const { log, errors } = recordingLogger();
  const clock = { now: T0 };
  const deps: EngineDeps = { db, gateway, funnels: new FunnelRegistry(funnels), log, now: () => clock.now };
  const app = createApp({ ...deps, apiToken: TOKEN, secretKey: opts.public?.secretKey ?? TEST_APP_SECRET, ...opts });
  const call: TestApp['call'] = async (method, path, body, headers = {}) => app.request(path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const count = async (table: 'contacts' | 'consents' | 'events' | 'enrollments') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const counts: TestApp['counts'] = async () => ({
    contacts: await count('contacts'), consents: await count('consents'), events: await count('events'), enrollments: await count('enrollments'),
  });
  const close = () => fresh.close();
  return { app, db, gateway, deps, errors, clock, call, counts, close };
}

/** Asserts the contract's error body with the given status and code; returns the body. */
export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** Runs a request that must be rejected and asserts that it stored nothing. */
export async function expectRejected(t: TestApp, request: () => Promise<Response>, status: number, code: string) {
  const before = await t.counts();
  const body = await expectError(await request(), status, code);
  expect(await t.counts()).toEqual(before);
  return body;
}

/** A ledger row as the send activity would write it. */
export async function insertDelivery(db: Db, e: Pick<NewEnrollmentRow, 'id' | 'funnel_id' | 'contact_id'>, touchId: string, fields: { status: 'sent' | 'skipped' | 'failed'; at: number; reason?: string }) {
  await db.insertInto('deliveries').values({
    id: `dl_${touchId}_${e.id}`, enrollment_id: e.id, funnel_id: e.funnel_id, contact_id: e.contact_id, touch_id: touchId, channel: 'email',
    status: fields.status, reason: fields.reason ?? null, recipient: 'a@example.test', subject: `Subject of ${touchId}`, provider_message_id: null,
    attempts: 1, scheduled_at: fields.at, created_at: fields.at, sent_at: fields.status === 'sent' ? fields.at : null,
    delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: fields.status === 'failed' ? fields.at : null,
  }).execute();
}
