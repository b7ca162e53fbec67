import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors';
import { createTestApp, expectRejected, TOKEN, type TestApp } from './test-app';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { createApp } from '../../src/http/app';
import { FunnelRegistry } from '../../src/engine/registry';

describe('http/api/funnels', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  const newContact = async (email: string) => ((await (await t.call('POST', '/api/contacts', { email })).json()) as { id: string }).id;

  it('lists the served funnels with their touches', async () => {
    const res = await t.call('GET', '/api/funnels');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { id: 'manual', name: 'Manual', version: 'm1', entry: null, goal: 'demo.booked', draft: false, touches: [{ id: 'invite', channel: 'email', type: 'email' }] },
      {
        id: 'welcome', name: 'Welcome', version: 'v1', entry: 'signed_up', goal: 'order.paid', draft: false,
        touches: [{ id: 'hello', channel: 'email', type: 'email' }, { id: 'nudge', channel: 'email', type: 'email' }],
      },
    ]);
  });

  it("says which funnels are drafts and each touch's type beside its channel: a webinar invite is not a plain email", async () => {
    const webinar = await loadExampleFunnel('webinar-autofunnel');
    const app = createApp({ ...t.deps, funnels: new FunnelRegistry([webinar]), apiToken: TOKEN });
    const [listed] = (await (await app.request('/api/funnels', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Array<{ draft: boolean; touches: Array<{ id: string; channel: string; type: string }> }>;
    expect(listed!.draft).toBe(true);
    const byId = Object.fromEntries(listed!.touches.map((x) => [x.id, x]));
    expect(byId.invite).toEqual({ id: 'invite', channel: 'email', type: 'webinarInvite' });
    expect(byId['remind-1h']).toEqual({ id: 'remind-1h', channel: 'telegram', type: 'telegram' });
    expect(byId['last-call']).toEqual({ id: 'last-call', channel: 'sms', type: 'sms' });
    expect(byId['thank-you']).toEqual({ id: 'thank-you', channel: 'page', type: 'page' });
    expect(listed!.touches).toHaveLength(23);
  });

  it('enrolls an existing contact with 201 and starts its workflow', async () => {
    const contactId = await newContact('a@example.test');
    const res = await t.call('POST', '/api/funnels/welcome/enrollments', { contactId });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { enrollmentId: string };
    expect(body).toEqual({ enrollmentId: expect.stringMatching(/^en_/), contactId, funnelId: 'welcome', version: 'v1' });
    expect(t.gateway.starts).toEqual([expect.objectContaining({ enrollmentId: body.enrollmentId, funnelId: 'welcome', contactId, trigger: null })]);
  });

  it('answers 200 with the same enrollment when the contact is already active in the funnel', async () => {
    const contactId = await newContact('a@example.test');
    const first = await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId })).json();
    const second = await t.call('POST', '/api/funnels/welcome/enrollments', { contactId });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(first);
    expect((await t.counts()).enrollments).toBe(1);
  });

  it('upserts a contact given in the body and enrolls it', async () => {
    const res = await t.call('POST', '/api/funnels/manual/enrollments', { contact: { email: 'new@example.test', name: 'New', consent: { email: true } } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { contactId: string };
    const contact = await t.db.selectFrom('contacts').selectAll().where('id', '=', body.contactId).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ email: 'new@example.test', name: 'New' });
    expect(await t.counts()).toEqual({ contacts: 1, consents: 1, events: 0, enrollments: 1 });
  });

  it('answers 404 for an unknown funnel before storing the contact in the body', async () => {
    await expectRejected(t, () => t.call('POST', '/api/funnels/nope/enrollments', { contact: { email: 'new@example.test' } }), 404, 'not_found');
    expect(t.gateway.starts).toHaveLength(0);
  });

  it('answers 404 for an unknown contactId and stores nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contactId: 'ct_nope' }), 404, 'not_found');
  });

  it('rejects a body with both or neither of contactId and contact with 422', async () => {
    const contactId = await newContact('a@example.test');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contactId, contact: { email: 'b@example.test' } }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', {}), 422, 'validation_failed');
  });

  it('rejects malformed JSON, wrong types and invalid contacts, storing nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', '{contactId}'), 400, 'invalid_json');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contactId: 7 }), 400, 'bad_request');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contact: { email: 'bad' } }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contact: { email: 'a@example.test', timezone: 'Nowhere/City' } }), 422, 'validation_failed');
  });

  it('answers 503 and keeps no contact or enrollment when Temporal refuses the start', async () => {
    t.gateway.startError = new UnavailableError('temporal: start failed: connection refused');
    await expectRejected(t, () => t.call('POST', '/api/funnels/welcome/enrollments', { contact: { email: 'new@example.test', consent: { email: true } } }), 503, 'unavailable');
  });
});
