import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTestServer } from '../temporal/binaries';
import { cachedWorkflowBundle } from '../temporal/bundle-cache';
import { SimulationInputError } from '../errors';

/** A started time-skipping test server and the workflow bundle a simulation worker runs. */
export interface SimulationServer {
  env: TestWorkflowEnvironment;
  bundle: { code: string };
}

/**
 * Starts the time-skipping test server (found as the project finds it: TEMPORAL_TEST_SERVER_PATH, `.temporal/`, PATH)
 * while the workflow bundle is read from the disk cache or built; both take a while, so they overlap.
 */
export async function startSimulationServer(say: (line: string) => void): Promise<SimulationServer> {
  const path = findTestServer();
  if (!path) throw new SimulationInputError('the Temporal time-skipping test server is not installed: run `npm run setup` (or set TEMPORAL_TEST_SERVER_PATH)');
  const t0 = Date.now();
  const bundle = cachedWorkflowBundle().then((b) => {
    say(`workflow bundle ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return b;
  });
  bundle.catch(() => undefined);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  say(`test server started (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  try {
    return { env, bundle: await bundle };
  } catch (err) {
    await env.teardown();
    throw err;
  }
}
