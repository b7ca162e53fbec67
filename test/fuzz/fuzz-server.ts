import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorkflowGateway } from '../../src/temporal/gateway';
import { createLogger } from '../../src/log';
import { pageUrl } from '../../src/pages/page-url';
import { webinarContactToken } from '../../src/webinars/template-vars';
import { bounceWebhookToken } from '../../src/tracking/tokens';
import { webinarWebhookToken } from '../../src/http/api/webinars';
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
  /** Ids and tokens that exist, so the runs get past the 404s: the contact's enrollment, its page and webinar tokens. */
  known: Record<'AF_ENROLLMENT_ID' | 'AF_PAGE_T' | 'AF_WEBINAR_T' | 'AF_BOUNCE_TOKEN' | 'AF_WEBINAR_TOKEN', string>;
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
  const enrolled = await served.api('POST', '/api/funnels/lead/enrollments', { contactId: anna.json.id });
  const known = {
    AF_ENROLLMENT_ID: String(enrolled.json.enrollmentId),
    AF_PAGE_T: new URL(pageUrl(SERVED.publicUrl, SERVED.secretKey, 'lead', 'thanks', anna.json.id)).searchParams.get('t')!,
    AF_WEBINAR_T: webinarContactToken(SERVED.secretKey, anna.json.id),
    AF_BOUNCE_TOKEN: bounceWebhookToken(SERVED.secretKey),
    AF_WEBINAR_TOKEN: webinarWebhookToken(SERVED.secretKey, 'live'),
  };
  return {
    served, env, logged, known, apiToken: SERVED.apiToken,
    stop: async () => {
      await served.stop();
      await env.teardown();
    },
  };
}
