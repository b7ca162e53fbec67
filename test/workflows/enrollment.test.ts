import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness, type Harness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { ingestEvent } from '../../src/engine/ingest-event';

const H = 3_600_000;
const D = 24 * H;

const plan: Plan = {
  id: 'mini', name: 'Mini', entry: null, timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
  attributes: ['plan'], events: [],
  steps: [
    { type: 'email', id: 'hello', subject: 'Привет, {{ contact.firstName }}', html: '<p>Курс: {{ contact.attributes.plan }}</p>' },
    { type: 'waitFor', id: 'click', events: [{ name: 'hello.clicked' }], timeoutMs: 2 * D,
      then: [{ type: 'email', id: 'thanks', subject: 'Спасибо за клик', text: 'ok' }],
      else: [{ type: 'email', id: 'nudge', subject: 'Вы пропустили', text: 'ok' }] },
    { type: 'wait', id: 'pause', ms: 3 * D },
    { type: 'branch', id: 'pro', if: { kind: 'attribute', key: 'plan', op: 'eq', value: 'pro' },
      then: [{ type: 'email', id: 'pro-offer', subject: 'Pro', text: 'pro' }],
      else: [{ type: 'email', id: 'basic-offer', subject: 'Basic', text: 'basic' }] },
    { type: 'wait', id: 'last-pause', ms: 1 * D },
    { type: 'email', id: 'last-call', subject: 'Последний шанс', text: 'bye' },
  ],
};
const funnels = [{ plan, version: 'v1' }];

describe('enrollmentWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  async function scenario(attrs: Record<string, string>, script: (h: Harness, contactId: string, t0: number) => Promise<void>) {
    const mail = recordingEmail();
    return await withHarness(env, funnels, mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: `c${Math.random()}@example.test`, name: 'Анна Петрова', attributes: attrs, consent: { email: true } }, 'test');
      const t0 = h.deps.now();
      const { enrollment } = await enroll(h.deps, 'mini', contact.id);
      await script(h, contact.id, t0);
      const result = await env.client.workflow.getHandle(`funnel:mini:${contact.id}`).result();
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'status', 'scheduled_at', 'subject'])
        .where('enrollment_id', '=', enrollment.enrollmentId).orderBy('scheduled_at').execute();
      const en = await h.db.selectFrom('enrollments').selectAll().where('id', '=', enrollment.enrollmentId).executeTakeFirstOrThrow();
      const credits = await h.db.selectFrom('attributions').innerJoin('conversions', 'conversions.id', 'attributions.conversion_id')
        .select(['attributions.touch_id', 'attributions.credit', 'attributions.revenue']).where('attributions.model', '=', 'last_touch')
        .where('conversions.enrollment_id', '=', enrollment.enrollmentId).execute();
      return { result, rows: rows.map((r) => ({ ...r, at: Math.round((r.scheduled_at - t0) / H) })), en, mail, credits };
    });
  }

  it('sends every touch of the no-click path at its virtual time', async () => {
    const { result, rows, en, mail } = await scenario({ plan: 'basic' }, async () => undefined);
    expect(rows.map((r) => [r.touch_id, r.at])).toEqual([['hello', 0], ['nudge', 48], ['basic-offer', 120], ['last-call', 144]]);
    expect(result).toEqual({ status: 'exited', reason: 'completed' });
    expect(en.status).toBe('exited');
    expect(mail.sent[0]?.subject).toBe('Привет, Анна');
    // The body as written, then the open pixel that tracking appends.
    expect(mail.sent[0]?.html).toMatch(/^<p>Курс: basic<\/p><img src="https:\/\/funnels\.example\.test\/t\/o\/[^"]+" width="1" height="1" alt="">$/);
  });

  it('takes the click branch when the click arrives during the wait, and the attribute branch', async () => {
    const { rows } = await scenario({ plan: 'pro' }, async (h, contactId) => {
      await h.advance(5 * H);
      await ingestEvent(h.deps, { contactId, name: 'hello.clicked' });
    });
    expect(rows.map((r) => [r.touch_id, r.at])).toEqual([['hello', 0], ['thanks', 5], ['pro-offer', 77], ['last-call', 101]]);
  });

  it('counts a click that arrived before the wait began (buffered)', async () => {
    const { rows } = await scenario({ plan: 'basic' }, async (h, contactId) => {
      await ingestEvent(h.deps, { contactId, name: 'hello.clicked' });
    });
    expect(rows.map((r) => r.touch_id)).toEqual(['hello', 'thanks', 'basic-offer', 'last-call']);
  });

  it('ends as converted when the goal arrives in the middle of a wait, crediting the last touch', async () => {
    const { result, rows, en, credits } = await scenario({ plan: 'basic' }, async (h, contactId) => {
      await h.advance(3 * D);
      await ingestEvent(h.deps, { contactId, name: 'order.paid', value: 4990, });
    });
    expect(result).toEqual({ status: 'converted', reason: 'goal' });
    expect(rows.map((r) => r.touch_id)).toEqual(['hello', 'nudge']);
    expect(en.status).toBe('converted');
    expect(credits).toEqual([{ touch_id: 'nudge', credit: 1, revenue: 4990 }]);
  });
});
