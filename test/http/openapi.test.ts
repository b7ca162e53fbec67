import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, { format?: string }>; required?: string[] }> };
};

describe('http/api/openapi', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp();
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

  it('documents the error body on every operation and leaves only health and itself public', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) {
        const isPublic = path === '/health' || path === '/api/openapi.json';
        expect(op.security, path).toEqual(isPublic ? [] : undefined);
        if (!isPublic) expect(op.responses['401'], path).toEqual(expect.objectContaining({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }));
      }
    }
    expect(doc.components.schemas.Error!.required).toEqual(['error']);
  });

  it('generates the request schemas from the zod schemas', () => {
    const { ContactInput, EventInput, EnrollmentRequest } = doc.components.schemas;
    expect(Object.keys(ContactInput!.properties!)).toEqual(expect.arrayContaining(['externalId', 'email', 'phone', 'timezone', 'attributes', 'consent']));
    expect(ContactInput!.properties!.email!.format).toBe('email');
    expect(EventInput!.required).toEqual(['name']);
    expect(Object.keys(EnrollmentRequest!.properties!)).toEqual(['contactId', 'contact']);
    expect(JSON.stringify(doc)).not.toContain('$schema');
  });

  it('resolves every $ref it uses', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
  });
});
