import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Db } from '../../src/db/database';
import type { EmailChannel } from '../../src/channels/channel';
import type { EngineDeps } from '../../src/engine/deps';
import type { VersionedPlan } from '../../src/db/funnels';
import { openMigratedDatabase } from '../../src/db/database';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createActivities } from '../../src/activities/index';
import { createWorker } from '../../src/temporal/worker';
import { createWorkflowGateway } from '../../src/temporal/gateway';
import { FunnelRegistry } from '../../src/engine/registry';
import { silentLogger } from '../../src/log';

/** An engine wired to a test Temporal environment: real DB, real activities, the given email channel. */
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

/** Builds a harness; call `worker.runUntil(...)` around the scenario. */
export async function createHarness(env: TestWorkflowEnvironment, funnels: VersionedPlan[], email: EmailChannel): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-test-'));
  const db = await openMigratedDatabase(join(dir, 'db.sqlite'));
  await storeFunnelVersions(db, funnels);
  const taskQueue = `test-${process.pid}-${++counter}`;
  const activities = createActivities({ db, email, mailFrom: 'Школа <school@example.test>' });
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities });
  let skew = (await env.currentTimeMs()) - Date.now();
  const deps: EngineDeps = {
    db, gateway: createWorkflowGateway(env.client, taskQueue), funnels: new FunnelRegistry(funnels), log: silentLogger,
    now: () => Date.now() + skew,
  };
  const advance = async (ms: number) => {
    await env.sleep(ms);
    skew = (await env.currentTimeMs()) - Date.now();
  };
  return { db, deps, worker, taskQueue, advance, close: () => db.destroy() };
}

/** Runs `fn` with a fresh harness whose worker polls meanwhile; the database is closed afterwards, pass or fail. */
export async function withHarness<T>(env: TestWorkflowEnvironment, funnels: VersionedPlan[], email: EmailChannel, fn: (h: Harness) => Promise<T>): Promise<T> {
  const h = await createHarness(env, funnels, email);
  try {
    return await h.worker.runUntil(() => fn(h));
  } finally {
    await h.close();
  }
}
