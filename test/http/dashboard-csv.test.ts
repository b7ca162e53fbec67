import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { csvText } from '../../src/http/dashboard/csv';
import type { TableSpec } from '../../src/http/dashboard/components/data-table';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient } from '../browser/dashboard-client';

const PASSWORD = 'csv-test-password';
let db: Db;
let close: () => Promise<void>;
let app: Hono;
let client: DashboardClient;
let jar: Record<string, string>;

/** Downloads a CSV and checks what every CSV answer must be: attachment, UTF-8 with BOM, CRLF lines. */
async function download(url: string, filename: string): Promise<Array<Record<string, string>>> {
  const res = await client.get(url, jar);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${filename}"; filename*=UTF-8''${filename}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)], url).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.slice(1).split('\r\n').length).toBeGreaterThan(1);
  return parse(text.slice(1), { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
}

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: 'csv-secret-0123456789',
    outboxMode: true, now: () => T0,
  });
  client = new DashboardClient(app, PASSWORD);
  jar = await client.login();
});

afterAll(async () => close?.());

describe('dashboard CSV export', () => {
  it('exports the funnels overview with unformatted numbers whatever the page language', async () => {
    const rows = await download('/dashboard/funnels.csv?lang=ru', 'funnels.csv');
    expect(rows).toEqual([{
      name: 'Курс «Python с нуля»', id: 'course', version: 'v1', enrolled: '6', active: '4', converted: '2', conversionRate: '0.3333', revenue: '3500',
    }]);
  });

  it('exports the per-touch table under the chosen model and range', async () => {
    const first = await download('/dashboard/funnels/course/touches.csv?model=first_touch', 'course-touches-first_touch.csv');
    expect(first.map((r) => r.touchId)).toEqual(['welcome', 'lesson-2', 'reminder', 'offer-a', 'offer-b']);
    expect(first[0]).toMatchObject({ channel: 'email', sent: '4', delivered: '4', outbox: '1', opened: '3', clicked: '2', skipped: '1', converted: '2', revenue: '3500' });
    const last = await download('/dashboard/funnels/course/touches.csv', 'course-touches-last_touch.csv');
    expect(last[0]).toMatchObject({ converted: '0', revenue: '0' });
    const feb = await download('/dashboard/funnels/course/touches.csv?from=2025-02-01&to=2025-02-28', 'course-touches-last_touch-2025-02-01_2025-02-28.csv');
    expect(feb[0]).toMatchObject({ sent: '0' });
  });

  it('exports reasons and the split results', async () => {
    const reasons = await download('/dashboard/funnels/course/reasons.csv', 'course-reasons.csv');
    expect(reasons).toContainEqual({ touchId: 'welcome', kind: 'skipped', reason: 'no_consent', count: '1' });
    const splits = await download('/dashboard/funnels/course/splits.csv', 'course-splits.csv');
    expect(splits.map((r) => [r.splitId, r.variantId, r.enrolled, r.converted, r.rate])).toEqual([['subject-test', 'a', '2', '1', '0.5'], ['subject-test', 'b', '1', '1', '1']]);
    expect(Object.keys(splits[0] ?? {})).toEqual(['splitId', 'variantId', 'enrolled', 'converted', 'rate', 'probabilityBest', 'pValue', 'note']);
    expect((await client.get('/dashboard/funnels/nope/touches.csv', jar)).status).toBe(404);
  });

  it("exports a contact's timeline with times in the contact's zone as ISO 8601 with the offset", async () => {
    const rows = await download('/dashboard/contacts/ct_1/timeline.csv', 'ct_1-timeline.csv');
    expect(rows).toContainEqual(expect.objectContaining({
      at: '2025-01-17T00:00:00+10:00', kind: 'deferred', funnelId: 'course', touchId: 'lesson-2', reason: 'quiet_hours', until: '2025-01-17T09:00:00+10:00',
    }));
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'conversion', value: '1500' }));
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'event', details: 'order.paid {"order":"A-1"}', value: '1500' }));
    expect(await download('/dashboard/contacts/ct_1/enrollments.csv', 'ct_1-enrollments.csv')).toEqual([expect.objectContaining({
      funnelId: 'course', id: 'en_1', status: 'converted', enrolledAt: '2025-01-15T16:00:00+10:00', exitReason: 'goal',
    })]);
    expect(await download('/dashboard/contacts/ct_1/consents.csv', 'ct_1-consents.csv')).toEqual([{ channel: 'email', granted: 'true', source: 'form:course', at: '2025-01-15T15:00:00+10:00' }]);
    expect(await download('/dashboard/contacts/ct_1/consent-log.csv', 'ct_1-consent-log.csv')).toEqual([expect.objectContaining({ ip: '203.0.113.5', wording: 'Согласна получать письма о курсе' })]);
  });

  it('exports contact search results and the outbox', async () => {
    expect((await download('/dashboard/contacts.csv?q=anna', 'contacts.csv')).map((r) => r.id)).toEqual(['ct_1']);
    const outbox = await download('/dashboard/outbox.csv', 'outbox.csv');
    expect(outbox.map((r) => [r.channel, r.contactId, r.touchId])).toEqual([['sms', 'ct_5', 'reminder'], ['email', 'ct_5', 'welcome']]);
    expect(outbox[1]?.html).toBe('<p>Урок 1</p><script>alert(1)</script>');
    expect((await download('/dashboard/outbox.csv?channel=sms', 'outbox-sms.csv')).length).toBe(1);
  });

  it('quotes separators, quotes and line breaks, and defuses spreadsheet formulas but not phone numbers', () => {
    const values = ['a,"b"', 'line 1\nline 2', '=HYPERLINK("http://x")', '+7 900 123-45-67', -5, '-2+3', '@SUM(A1)', null, true, 'Ёлка'];
    const spec: TableSpec<unknown[]> = { columns: values.map((_, i) => ({ key: `c${i}`, head: '', csv: (r: unknown[]) => r[i] as never })) };
    const text = csvText(spec, [values]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [, row] = parse(text.slice(1), { relax_column_count: false }) as string[][];
    expect(row).toEqual(['a,"b"', 'line 1\nline 2', '\'=HYPERLINK("http://x")', '+7 900 123-45-67', '-5', "'-2+3", "'@SUM(A1)", '', 'true', 'Ёлка']);
  });
});
