import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalCli, findTestServer } from '../../src/temporal/binaries';

/** The time-skipping test server installed by `npm run setup`. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = findTestServer();
  if (!path) throw new Error('temporal-test-server not found: run `npm run setup`');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

/** A real local dev server (the Temporal CLI installed by `npm run setup`). */
export async function createLocalEnv(): Promise<TestWorkflowEnvironment> {
  const path = findTemporalCli();
  if (!path) throw new Error('temporal CLI not found: run `npm run setup`');
  return TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1' } });
}
