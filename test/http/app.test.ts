import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors';
import { createTestApp, expectError, expectRejected, TOKEN, type TestApp } from './test-app';

describe('http/app', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('answers health without a token when the database and Temporal are reachable', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', temporal: 'ok' });
  });

  it('answers 503 degraded with temporal "error" when the gateway health check throws', async () => {
    t.gateway.healthError = new UnavailableError('temporal: health failed');
    const res = await t.app.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'ok', temporal: 'error' });
  });

  it('answers 503 with db "error" when the database is gone', async () => {
    await t.db.destroy();
    const res = await t.app.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'error', temporal: 'ok' });
  });

  it('rejects /api requests without a token with 401, a Bearer challenge and nothing stored', async () => {
    const res = await expectRejected(t, async () => {
      const r = await t.app.request('/api/contacts', { method: 'POST', body: JSON.stringify({ email: 'a@example.test' }) });
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      return r;
    }, 401, 'unauthorized');
    expect(res.error.message).toMatch(/Bearer/);
  });

  it('rejects a wrong token and a non-Bearer scheme with 401', async () => {
    for (const authorization of [`Bearer ${TOKEN}x`, 'Bearer ', `Basic ${TOKEN}`, 'Bearer a b']) {
      await expectRejected(t, async () => {
        const r = await t.call('POST', '/api/contacts', { email: 'a@example.test' }, { authorization });
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        return r;
      }, 401, 'unauthorized');
    }
  });

  it('accepts the scheme name in any case', async () => {
    const res = await t.call('GET', '/api/funnels', undefined, { authorization: `bearer ${TOKEN}` });
    expect(res.status).toBe(200);
  });

  it('answers 413 payload_too_large for a body over the limit and stores nothing', async () => {
    const small = await createTestApp({ maxBodyBytes: 1024 });
    try {
      const body = { email: 'big@example.test', attributes: { blob: 'x'.repeat(1500) } };
      await expectRejected(small, () => small.call('POST', '/api/contacts', body), 413, 'payload_too_large');
      await expectRejected(small, () => small.call('POST', '/api/events', { email: 'big@example.test', name: 'x', properties: { blob: 'y'.repeat(2000) } }), 413, 'payload_too_large');
    } finally {
      await small.close();
    }
  });

  it('applies the default 256 KiB limit', async () => {
    const body = { email: 'big@example.test', name: 'x'.repeat(300 * 1024) };
    await expectRejected(t, () => t.call('POST', '/api/contacts', body), 413, 'payload_too_large');
  });

  it('answers unknown routes with a 404 not_found JSON body', async () => {
    await expectError(await t.app.request('/nope'), 404, 'not_found');
    await expectError(await t.call('GET', '/api/nope'), 404, 'not_found');
  });

  it('asks for a token before telling whether an /api route exists', async () => {
    await expectError(await t.app.request('/api/nope'), 401, 'unauthorized');
  });

  it('maps an unexpected error to a generic 500 and logs it', async () => {
    const withExtra = await createTestApp({ extra: (app) => { app.get('/boom', () => { throw new Error('secret detail'); }); } });
    try {
      const body = await expectError(await withExtra.app.request('/boom'), 500, 'internal');
      expect(body.error.message).not.toMatch(/secret/);
      expect(withExtra.errors).toHaveLength(1);
      expect(withExtra.errors[0]!.fields?.error).toBeInstanceOf(Error);
    } finally {
      await withExtra.close();
    }
  });

  it('mounts the extra routes next to the API', async () => {
    const withExtra = await createTestApp({ extra: (app) => { app.get('/dashboard', (c) => c.text('hi')); } });
    try {
      expect(await (await withExtra.app.request('/dashboard')).text()).toBe('hi');
      expect((await withExtra.call('GET', '/api/funnels')).status).toBe(200);
    } finally {
      await withExtra.close();
    }
  });

  it('refuses to build an app with an empty token', async () => {
    const { createApp } = await import('../../src/http/app');
    expect(() => createApp({ apiToken: '' } as never)).toThrow(/apiToken/);
  });
});
