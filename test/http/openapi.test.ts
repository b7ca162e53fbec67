import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app';
import { createTelegramChannel } from '../../src/channels/telegram/channel';
import { smsWebhookRoutes } from '../../src/http/webhooks/sms';
import { silentLogger } from '../../src/log';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, { format?: string }>; required?: string[] }> };
};

describe('http/api/openapi', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    // Every surface mounted, the optional webhooks (Telegram, SMS) included.
    const secretKey = 'openapi-test-secret-0123456789';
    t = await createTestApp({
      public: {
        secretKey, publicUrl: 'https://funnels.example.test',
        telegram: { channel: createTelegramChannel({ token: '123:abc', apiRoot: 'http://127.0.0.1:9' }), username: 'bot', webhook: true },
        // Only the route table is read here; no request reaches the webhook, so it needs no database.
        smsWebhooks: smsWebhookRoutes({ db: undefined as never, secretKey, log: silentLogger, now: Date.now, onInbound: async () => undefined }),
        pushKey: 'BPushTestKey0123456789',
        vk: { groupId: '1', confirmation: 'confirm-me' },
      },
    });
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(() => t.close());

  it('is an OpenAPI 3.1 document served without a token', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('describes every route the app serves', () => {
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThanOrEqual(9);
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(described.sort()).toEqual([...new Set(served)].sort());
  });

  it('documents the error body on every API operation; only health, itself and the routes outside /api are public', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) {
        const isPublic = path === '/health' || path === '/api/openapi.json' || !path.startsWith('/api/');
        expect(op.security, path).toEqual(isPublic ? [] : undefined);
        if (!isPublic) expect(op.responses['401'], path).toEqual(expect.objectContaining({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }));
      }
    }
    expect(doc.components.schemas.Error!.required).toEqual(['error']);
  });

  it('generates the request schemas from the zod schemas', () => {
    const { ContactInput, EventInput, EnrollmentRequest } = doc.components.schemas;
    expect(Object.keys(ContactInput!.properties!)).toEqual(expect.arrayContaining(['externalId', 'email', 'phone', 'timezone', 'attributes', 'consent']));
    // idn-email: the addresses are internationalised (JSON Schema's `email` is ASCII only).
    expect(ContactInput!.properties!.email!.format).toBe('idn-email');
    expect(EventInput!.required).toEqual(['name']);
    expect(Object.keys(EnrollmentRequest!.properties!)).toEqual(['contactId', 'contact']);
    expect(Object.keys(ContactInput!.properties!)).toContain('test');
    expect(Object.keys(doc.components.schemas.TestSendRequest!.properties!)).toEqual(['to', 'contactId']);
    expect(Object.keys(doc.components.schemas.Funnel!.properties!)).toContain('draft');
    expect(JSON.stringify(doc)).not.toContain('$schema');
  });

  it('lists every ledger state the API answers, deferred and held_out included', () => {
    const status = (doc.components.schemas.DeliveryEntry!.properties as Record<string, { enum?: string[] }>).status!;
    expect(status.enum).toEqual(['pending', 'deferred', 'sent', 'delivered', 'outbox', 'failed', 'skipped', 'held_out']);
  });

  it('resolves every $ref it uses', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
  });
});
