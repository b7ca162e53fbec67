import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { join } from 'node:path';
import type { Activities } from '../activities/index';
import { projectRoot } from './binaries';

/** Where the workflow code lives; the worker bundles it for Temporal's sandbox. */
export const workflowsPath = join(projectRoot, 'workflows', 'index.ts');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per process (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) } });
  return bundle;
}

/** How many workflows a worker keeps in memory by default (see README, "Many sleeping enrollments"). */
export const DEFAULT_CACHED_WORKFLOWS = 500;

/**
 * Creates a worker for the enrollment workflow and the given activities. Its memory is bounded by the number of
 * workflows it keeps cached (`cachedWorkflows`), not by the number of enrollments: a sleeping enrollment evicted from
 * the cache costs nothing here and is replayed from its (lean) history when it wakes.
 */
export async function createWorker(opts: { connection: NativeConnection; namespace: string; taskQueue: string; activities: Activities; cachedWorkflows?: number | undefined }): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: opts.activities,
    maxCachedWorkflows: opts.cachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS,
  });
}
