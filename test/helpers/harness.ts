import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Db } from '../../src/db/database';
import type { EmailChannel } from '../../src/channels/channel';
import type { EngineDeps } from '../../src/engine/deps';
import type { VersionedPlan } from '../../src/db/funnels';
import { freshDatabase } from './test-db';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createActivities, type ActivityDeps } from '../../src/activities/index';
import { ingestEvent } from '../../src/engine/ingest-event';
import { createWorker } from '../../src/temporal/worker';
import { createWorkflowGateway } from '../../src/temporal/gateway';
import { FunnelRegistry } from '../../src/engine/registry';
import { silentLogger } from '../../src/log';

/** An engine wired to a test Temporal environment: real DB (the run's: SQLite or PostgreSQL), real activities, the given email channel. */
export interface Harness {
  db: Db;
  deps: EngineDeps;
  worker: Worker;
  taskQueue: string;
  /** Advances virtual time and keeps the engine's clock on it. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** The public URL and signing key every harness uses for links in messages. */
export const TEST_PUBLIC_URL = 'https://funnels.example.test';
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef';

/** Channels and policies a scenario adds to the defaults (the given email channel, dev outboxes for SMS and Telegram). */
export type HarnessOptions = Partial<Omit<ActivityDeps, 'db' | 'email'>>;

/** Builds a harness; call `worker.runUntil(...)` around the scenario. */
export async function createHarness(env: TestWorkflowEnvironment, funnels: VersionedPlan[], email: EmailChannel, options: HarnessOptions = {}): Promise<Harness> {
  const { db, close } = await freshDatabase();
  await storeFunnelVersions(db, funnels);
  const taskQueue = `test-${process.pid}-${++counter}`;
  let skew = (await env.currentTimeMs()) - Date.now();
  const deps: EngineDeps = {
    db, gateway: createWorkflowGateway(env.client, taskQueue), funnels: new FunnelRegistry(funnels), log: silentLogger,
    now: () => Date.now() + skew,
  };
  const activities = createActivities({
    db, email, mailFrom: 'Школа <school@example.test>', publicUrl: TEST_PUBLIC_URL, secretKey: TEST_SECRET_KEY,
    emit: async (contactId, name, properties, idempotencyKey) => { await ingestEvent(deps, { contactId, name, properties, idempotencyKey }); },
    ...options,
  });
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities });
  const advance = async (ms: number) => {
    await env.sleep(ms);
    skew = (await env.currentTimeMs()) - Date.now();
  };
  return { db, deps, worker, taskQueue, advance, close };
}

/** Runs `fn` with a fresh harness whose worker polls meanwhile; the database is closed afterwards, pass or fail. */
export async function withHarness<T>(env: TestWorkflowEnvironment, funnels: VersionedPlan[], email: EmailChannel, fn: (h: Harness) => Promise<T>, options: HarnessOptions = {}): Promise<T> {
  const h = await createHarness(env, funnels, email, options);
  try {
    return await h.worker.runUntil(() => fn(h));
  } finally {
    await h.close();
  }
}
