import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectError, expectRejected, type TestApp } from './test-app';

interface ContactBody { id: string; externalId: string | null; email: string | null; name: string | null; locale: string | null; attributes: Record<string, unknown>; consent: Record<string, { granted: boolean; source: string }>; createdAt: string; enrollments?: unknown[] }

describe('http/api/contacts', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('creates a contact with 201 and answers it with its id, consents and ISO times', async () => {
    const res = await t.call('POST', '/api/contacts', {
      externalId: 'u1', email: 'Ann@Example.test', phone: '+79161234567', telegramChatId: 42, name: 'Ann', timezone: 'Europe/Moscow',
      locale: 'ru', attributes: { plan: 'pro', seats: 3, trial: true }, consent: { email: true, sms: false },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as ContactBody;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^ct_/), externalId: 'u1', email: 'ann@example.test', phone: '+79161234567', telegramChatId: '42',
      timezone: 'Europe/Moscow', attributes: { plan: 'pro', seats: 3, trial: true },
      consent: { email: { granted: true, source: 'api' }, sms: { granted: false, source: 'api' } },
      createdAt: '2025-03-01T10:00:00.000Z',
    });
    expect(await t.counts()).toMatchObject({ contacts: 1, consents: 2 });
  });

  it('upserts by externalId, then by email, answering 200 with the same id and merged attributes', async () => {
    const first = (await (await t.call('POST', '/api/contacts', { externalId: 'u1', email: 'u1@example.test', attributes: { a: 1 } })).json()) as ContactBody;
    const byExternal = await t.call('POST', '/api/contacts', { externalId: 'u1', name: 'New name', attributes: { b: 2 } });
    expect(byExternal.status).toBe(200);
    expect(await byExternal.json()).toMatchObject({ id: first.id, name: 'New name', email: 'u1@example.test', attributes: { a: 1, b: 2 } });
    const byEmail = await t.call('POST', '/api/contacts', { email: 'U1@example.test', locale: 'en-US' });
    expect(byEmail.status).toBe(200);
    expect(await byEmail.json()).toMatchObject({ id: first.id, externalId: 'u1', name: 'New name', locale: 'en-US' });
    expect((await t.counts()).contacts).toBe(1);
  });

  it('answers 409 when the email belongs to another contact, and changes nothing', async () => {
    await t.call('POST', '/api/contacts', { externalId: 'a', email: 'a@example.test' });
    const b = (await (await t.call('POST', '/api/contacts', { externalId: 'b' })).json()) as ContactBody;
    const body = await expectRejected(t, () => t.call('POST', '/api/contacts', { externalId: 'b', email: 'a@example.test', name: 'B' }), 409, 'conflict');
    expect(body.error.details).toMatchObject({ field: 'email' });
    expect(await (await t.call('GET', `/api/contacts/${b.id}`)).json()).toMatchObject({ email: null, name: null });
  });

  it('rejects malformed JSON and non-object bodies with 400 invalid_json', async () => {
    await expectRejected(t, () => t.call('POST', '/api/contacts', '{"email": "a@example.test"'), 400, 'invalid_json');
    await expectRejected(t, () => t.call('POST', '/api/contacts', '[{"email": "a@example.test"}]'), 400, 'invalid_json');
    await expectRejected(t, () => t.call('POST', '/api/contacts', 'null'), 400, 'invalid_json');
    await expectRejected(t, () => t.call('POST', '/api/contacts', ''), 400, 'invalid_json');
  });

  it('rejects wrong types and unknown fields with 400 bad_request and {path, message} details', async () => {
    const body = await expectRejected(t, () => t.call('POST', '/api/contacts', { email: 42 }), 400, 'bad_request');
    expect(body.error.details).toEqual([{ path: 'email', message: expect.any(String) }]);
    await expectRejected(t, () => t.call('POST', '/api/contacts', { email: 'a@example.test', consent: { email: 'yes' } }), 400, 'bad_request');
    const unknown = await expectRejected(t, () => t.call('POST', '/api/contacts', { email: 'a@example.test', mail: 'x' }), 400, 'bad_request');
    expect(JSON.stringify(unknown.error.details)).toContain('mail');
  });

  it('rejects a contact without externalId, email or phone with 422', async () => {
    await expectRejected(t, () => t.call('POST', '/api/contacts', { name: 'Nobody' }), 422, 'validation_failed');
  });

  it('normalises a phone typed the Russian way to E.164', async () => {
    const res = await t.call('POST', '/api/contacts', { phone: '8 (916) 765-43-21' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { phone: string }).phone).toBe('+79167654321');
  });

  it('rejects an invalid email, time zone or phone with 422 validation_failed naming the field', async () => {
    for (const [field, input] of [
      ['email', { email: 'not-an-email' }],
      ['timezone', { email: 'a@example.test', timezone: 'Mars/Olympus_Mons' }],
      ['phone', { phone: '8 916 123' }],
      ['locale', { email: 'a@example.test', locale: 'Russian' }],
    ] as const) {
      const body = await expectRejected(t, () => t.call('POST', '/api/contacts', input), 422, 'validation_failed');
      expect(body.error.details).toEqual([expect.objectContaining({ path: field })]);
    }
  });

  it('accepts internationalised addresses (Cyrillic mailbox and .рф domain) and finds them case-insensitively', async () => {
    const res = await t.call('POST', '/api/contacts', { email: 'Анна@школа.рф', name: 'Анна' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as ContactBody;
    expect(body.email).toBe('анна@школа.рф');
    const event = await t.call('POST', '/api/events', { email: 'АННА@школа.рф', name: 'lead.created' });
    expect(event.status).toBe(202);
    for (const email of ['анна@', 'анна школа.рф', '@школа.рф']) {
      await expectRejected(t, () => t.call('POST', '/api/contacts', { email }), 422, 'validation_failed');
    }
  });

  it('answers a contact with its enrollments', async () => {
    const c = (await (await t.call('POST', '/api/contacts', { email: 'e@example.test' })).json()) as ContactBody;
    const enrolled = (await (await t.call('POST', '/api/funnels/manual/enrollments', { contactId: c.id })).json()) as { enrollmentId: string };
    const res = await t.call('GET', `/api/contacts/${c.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: c.id, email: 'e@example.test',
      enrollments: [{ id: enrolled.enrollmentId, funnelId: 'manual', version: 'm1', status: 'active', enrolledAt: '2025-03-01T10:00:00.000Z', finishedAt: null, convertedAt: null }],
    });
  });

  it('answers 404 not_found for an unknown contact id', async () => {
    await expectError(await t.call('GET', '/api/contacts/ct_nope'), 404, 'not_found');
  });
});
