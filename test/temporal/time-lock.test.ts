import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EmailChannel } from '../../src/channels/channel';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { endAtRest } from '../helpers/at-rest';
import { eventually, withinMs } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email, wait } from '../../src/dsl/steps';

const H = 3_600_000;
const plan: VersionedPlan = {
  version: 'lock-1',
  plan: {
    id: 'lock', name: 'Lock', entry: null, timezone: 'UTC', attributes: [], events: [], goal: { event: 'order.paid', withinMs: 10 * 24 * H, exit: true },
    steps: [email('hello', { subject: 'Привет', text: 'Привет' }), wait('pause', '1d'), email('later', { subject: 'Потом', text: 'Потом' })],
  },
};

/**
 * The cleanup the virtual-time tests use: a workflow ended while its activity runs must not leave the time-skipping
 * server's time locked (it would make every later `env.sleep` of the file wait in real time). `endAtRest` waits for
 * the activity to finish before it terminates. With a plain terminate here, the sleep below takes an hour of real time.
 */
describe('ending a workflow in a virtual-time test', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('waits for its running activity, so time skipping goes on afterwards', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let sending = false;
    const slow: EmailChannel = {
      name: 'slow',
      async send() {
        sending = true;
        await released;
        return { ok: true, providerMessageId: 'slow-1', status: 'delivered' };
      },
    };
    await withHarness(env, [plan], slow, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'lock@example.test', consent: { email: true } }, 'api');
      await enroll(h.deps, 'lock', contact.id);
      await eventually(() => sending, 'the first touch being sent');
      const workflowId = `funnel:lock:${contact.id}`;
      const ending = endAtRest(env, (id) => h.deps.gateway.end(id, 'test over'), workflowId);
      setTimeout(release, 500);
      await withinMs(40_000, 'ending at rest', ending);
      const before = await env.currentTimeMs();
      await withinMs(20_000, 'an hour of virtual time', env.sleep(H));
      expect(await env.currentTimeMs() - before).toBeGreaterThanOrEqual(H);
    });
  });
});
