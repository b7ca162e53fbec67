import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorkflowGateway } from '../../src/temporal/gateway';
import { createLogger } from '../../src/log';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { startServedApp, SERVED, type ServedTestApp } from '../helpers/served-app';
import { manualPlan, welcomePlan } from '../http/test-app';
import { leadPlan } from '../http/pages/page-app';
import { planWith } from '../webinars/fixtures';

/** The served app on a loopback port with a real database and a real (time-skipping) Temporal: every route answers for real. */
export interface FuzzServer {
  served: ServedTestApp;
  env: TestWorkflowEnvironment;
  /** The server's error and warning lines (what an unexpected 500 logged). */
  logged: string[];
  apiToken: string;
  stop(): Promise<void>;
}

/** Starts it with the test funnels (a lead form and pages, a webinar) and one contact, enrolled, so ids exist to be found. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const env = await createTimeSkippingEnv();
  const webinarStart = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const logged: string[] = [];
  const served = await startServedApp({
    log: createLogger('warn', (line) => logged.push(line)),
    plans: [welcomePlan, manualPlan, leadPlan, planWith('webinars', [{ id: 'live', startsAt: webinarStart }])],
    gateway: createWorkflowGateway(env.client, `fuzz-${process.pid}`),
  });
  const anna = await served.api('POST', '/api/contacts', { email: 'anna@example.test', phone: '+79161234567', consent: { email: true } });
  await served.api('POST', '/api/funnels/manual/enrollments', { contactId: anna.json.id });
  return {
    served, env, logged, apiToken: SERVED.apiToken,
    stop: async () => {
      await served.stop();
      await env.teardown();
    },
  };
}
