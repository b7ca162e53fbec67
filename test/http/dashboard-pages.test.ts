import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import type { ExperimentsReport } from '../../src/http/dashboard/experiments-data';
import { coursePlan, openSeededDb, T0, TRUTH } from '../browser/seed-dashboard';
import { DashboardClient, plain, rowCells } from '../browser/dashboard-client';

/** A touch's cells: its row and its detail row (where the rare figures fold). */
const touchRow = (html: string, id: string) => ({ ...rowCells(html, 'data-touch', id), ...rowCells(html, 'data-touch-detail', id) });

const PASSWORD = 'pages-test-password';

/** What the injected experiments loader answers (the analytics module is tested on its own). */
const REPORT: ExperimentsReport = {
  splits: [{
    splitId: 'subject-test', pValue: 0.0421, note: 'sample too small to conclude',
    variants: [
      { variantId: 'a', enrolled: 2, converted: 1, rate: 0.5, probabilityBest: 0.35 },
      { variantId: 'b', enrolled: 1, converted: 1, rate: 1, probabilityBest: 0.65 },
    ],
  }],
  holdouts: [{ touchId: 'reminder', reached: { n: 40, converted: 8, rate: 0.2 }, heldOut: { n: 10, converted: 1, rate: 0.1 }, lift: 0.1, ci95: [-0.05, 0.25] }],
};

let db: Db;
let close: () => Promise<void>;
let plainApp: Hono;
let withExperiments: Hono;
let withoutExperiments: Hono;

const make = (experiments?: () => Promise<ExperimentsReport | null>) => createDashboard({
  db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: 'pages-secret-0123456789',
  outboxMode: true, now: () => T0, ...(experiments && { experiments }),
});

/** The count label on the plan drawing's edge into `to` ('' when the drawing shows no number). */
const edge = (html: string, to: string) =>
  new RegExp(`<g class="edge" data-edge-to="${to.replace('.', '\\.')}">.*?(?:data-count="([^"]*)"|</g>)`, 's').exec(html)?.[1] ?? '';

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  plainApp = make();
  withExperiments = make(async () => REPORT);
  withoutExperiments = make(async () => null);
});

afterAll(async () => close?.());

describe('dashboard funnel page', () => {
  it('shows KPIs and per-touch numbers, switching the credited touch with the model', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const jar = await client.login();
    const last = await client.page('/dashboard/funnels/course', jar);
    expect(rowCells(last, 'data-funnel', 'course')).toMatchObject({ enrolled: '6', active: '4', converted: '2', revenue: '3 500,00' });
    expect(touchRow(last, 'welcome')).toMatchObject({ sent: '4', opened: '3', clicked: '2', skipped: '1', converted: '0' });
    expect(rowCells(last, 'data-touch', 'offer-a')).toMatchObject({ converted: String(TRUTH.offerA.lastTouch), revenue: '1 500,00' });
    expect(last).toMatch(/aria-current="page" data-model="last_touch"/);

    const first = await client.page('/dashboard/funnels/course?model=first_touch', jar);
    expect(rowCells(first, 'data-touch', 'welcome')).toMatchObject({ converted: String(TRUTH.welcome.firstTouch), revenue: '3 500,00' });
    expect(rowCells(first, 'data-touch', 'offer-a')).toMatchObject({ converted: '0' });
    expect(first).toMatch(/aria-current="page" data-model="first_touch"/);
    expect(first).toContain('href="/dashboard/funnels/course/touches.csv?model=first_touch"');

    const bogus = await client.page('/dashboard/funnels/course?model=bogus', jar);
    expect(bogus).toContain('Неизвестная модель атрибуции');
    expect(rowCells(bogus, 'data-touch', 'offer-a')).toMatchObject({ converted: '1' });
  });

  it('keeps the model across the date form and the range across model links', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/funnels/course?model=linear&from=2025-01-01&to=2025-01-31', await client.login());
    expect(html).toContain('<input type="hidden" name="model" value="linear"/>');
    expect(html).toContain('href="/dashboard/funnels/course?model=first_touch&amp;from=2025-01-01&amp;to=2025-01-31"');
  });

  it('draws the step chart with reached, opened and clicked bars and the drop-off from the entry', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/funnels/course', await client.login());
    expect(html).toContain('<svg class="funnel"');
    expect(html).toMatch(/data-bar="welcome" data-depth="0" data-reached="5" data-opened="3" data-clicked="2"/);
    expect(html).toMatch(/data-bar="reminder" data-depth="1" data-reached="2"/);
    expect(plain(html)).toContain('5 · 83,3 % · отсев 16,7 %'); // 5 of 6 enrolled reached welcome
    expect(plain(html)).toContain('>2 · 33,3 %</text>'); // lesson-2 opens an arm: no drop-off against its siblings' base
  });

  it('draws the plan with the number of enrollments on every edge', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/funnels/course', await client.login());
    expect(html).toContain('<svg class="plan"');
    const f = TRUTH.flow;
    expect({
      welcome: edge(html, 'welcome'), pause: edge(html, 'pause'), clicked: edge(html, 'clicked'),
      then: edge(html, 'clicked.then'), else: edge(html, 'clicked.else'), split: edge(html, 'subject-test'),
      a: edge(html, 'subject-test.a'), b: edge(html, 'subject-test.b'), done: edge(html, 'done'),
    }).toEqual({
      welcome: String(f.welcome), pause: String(f.pause), clicked: String(f.clicked), then: String(f.then), else: String(f.else),
      split: String(f.split), a: String(f.a), b: String(f.b), done: '',
    });
    expect(html).toContain(`Вошли: ${TRUTH.enrolled}`);
    for (const step of ['welcome', 'pause', 'clicked', 'lesson-2', 'reminder', 'subject-test', 'offer-a', 'offer-b', 'done']) {
      expect(html, step).toContain(`data-step="${step}"`);
    }
    const empty = await client.page('/dashboard/funnels/course?from=2025-03-01', await client.login());
    expect(edge(empty, 'welcome')).toBe('0');
    expect(edge(empty, 'subject-test.a')).toBe('0');
  });

  it('counts the edges of a period from the touches scheduled and the variants assigned in it, like the per-touch table', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    // From 17 Jan (Moscow): nobody enrolled and welcome and lesson-2 went out before; reminder is due for ct_3..5 (ct_4's
    // still deferred, so not in the table's reached), the offers and assignments fall inside.
    const html = await client.page('/dashboard/funnels/course?from=2025-01-17', await client.login());
    expect(touchRow(html, 'reminder')).toMatchObject({ sent: '1', outbox: '1' });
    expect({
      welcome: edge(html, 'welcome'), pause: edge(html, 'pause'), clicked: edge(html, 'clicked'),
      then: edge(html, 'clicked.then'), else: edge(html, 'clicked.else'), split: edge(html, 'subject-test'),
      a: edge(html, 'subject-test.a'), b: edge(html, 'subject-test.b'), done: edge(html, 'done'),
    }).toEqual({ welcome: '0', pause: '3', clicked: '3', then: '0', else: '3', split: '3', a: '2', b: '1', done: '' });
    expect(html).toContain('Вошли: 0');
  });

  it('lists skips and deferrals by reason', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/funnels/course', await client.login());
    expect(rowCells(html, 'data-reason', 'welcome:skipped:no_consent')).toMatchObject({ reason: 'нет согласия (no_consent)', count: '1' });
    expect(rowCells(html, 'data-reason', 'lesson-2:deferred:quiet_hours')).toMatchObject({ kind: 'Отложено', count: '1' });
  });

  it('shows the split computed from the assignments by default', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/funnels/course', await client.login());
    expect(rowCells(html, 'data-split', 'subject-test.a')).toMatchObject({ splitId: 'subject-test', variantId: 'a', enrolled: '2', converted: '1', rate: '50 %' });
    expect(rowCells(html, 'data-split', 'subject-test.b')).toMatchObject({ enrolled: '1', converted: '1', rate: '100 %' });
  });

  it('says when experiments are not computed, and renders split and holdout panels from what the analytics answer', async () => {
    const none = new DashboardClient(withoutExperiments, PASSWORD);
    expect(await none.page('/dashboard/funnels/course', await none.login())).toContain('data-experiments="unavailable"');
    const client = new DashboardClient(withExperiments, PASSWORD);
    const jar = await client.login();
    const html = await client.page('/dashboard/funnels/course', jar);
    // Below the sample threshold the panel shows counts only, whatever figures the loader answered.
    expect(rowCells(html, 'data-split', 'subject-test.a')).toMatchObject({ enrolled: '2', rate: '50 %', probabilityBest: '—', pValue: '—', note: 'мало данных для вывода: в каждой группе нужно не меньше 100 участий и 10 конверсий (в самой малой группе: участий — 1, конверсий — 1)' });
    expect(rowCells(html, 'data-split', 'subject-test.b')).toMatchObject({ enrolled: '1', rate: '100 %', probabilityBest: '—', pValue: '', note: '' });
    expect(rowCells(html, 'data-holdout', 'reminder')).toMatchObject({ reachedN: '40', heldOutRate: '10 %', lift: '+10 %', ci95Low: '-5 %', ci95High: '+25 %' });
    const csv = await (await client.get('/dashboard/funnels/course/holdouts.csv', jar)).text();
    expect(csv.split('\r\n')[1]).toBe('reminder,40,8,0.2,10,1,0.1,0.1,-0.05,0.25,');
  });

  it('shows the probability of being best and the p-value once the variants have enough data; never for an empty variant', async () => {
    const big: ExperimentsReport = {
      holdouts: [],
      splits: [{
        splitId: 'subject-test', pValue: 0.0211,
        variants: [
          { variantId: 'a', enrolled: 200, converted: 20, rate: 0.1, probabilityBest: 0.0112 },
          { variantId: 'b', enrolled: 200, converted: 36, rate: 0.18, probabilityBest: 0.9888 },
          { variantId: 'c', enrolled: 0, converted: 0, rate: 0, probabilityBest: 0.6 },
        ],
      }],
    };
    const client = new DashboardClient(make(async () => big), PASSWORD);
    const html = await client.page('/dashboard/funnels/course', await client.login());
    expect(rowCells(html, 'data-split', 'subject-test.a')).toMatchObject({ enrolled: '200', rate: '10 %', probabilityBest: '1,1 %', pValue: '0,02' });
    expect(rowCells(html, 'data-split', 'subject-test.b')).toMatchObject({ probabilityBest: '98,9 %' });
    expect(rowCells(html, 'data-split', 'subject-test.c')).toMatchObject({ enrolled: '0', converted: '0', rate: '—', probabilityBest: '—' });
  });
});

describe('dashboard contacts', () => {
  it('finds contacts by email, phone digits, id and name, and treats LIKE wildcards as text', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const jar = await client.login();
    const ids = async (q: string) => [...(await client.page(`/dashboard/contacts?q=${encodeURIComponent(q)}`, jar)).matchAll(/data-contact="(ct_\d)"/g)].map((m) => m[1]);
    expect(await ids('ANNA@example')).toEqual(['ct_1']);
    expect(await ids('+7 (900) 123')).toEqual(['ct_5']);
    expect(await ids('ct_2')).toEqual(['ct_2']);
    expect(await ids('Вера')).toEqual(['ct_3']);
    // Case folds in Cyrillic too, alike on SQLite and PostgreSQL.
    expect(await ids('вера')).toEqual(['ct_3']);
    expect(await ids('СМИРНОВА')).toEqual(['ct_1']);
    expect(await ids('%')).toEqual([]);
    expect(await client.page('/dashboard/contacts?q=nobody', jar)).toContain('Контакты не найдены');
  });

  it("shows a contact's card, consents with their proof, enrollments and timeline in the contact's zone", async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const html = await client.page('/dashboard/contacts/ct_1', await client.login());
    expect(html).toContain('data-telegram="bound"');
    expect(html).toContain('data-zone="Asia/Vladivostok"');
    expect(rowCells(html, 'data-consent', 'email')).toMatchObject({ granted: 'дано', source: 'form:course' });
    expect(html).toContain('Согласна получать письма о курсе');
    expect(rowCells(html, 'data-enrollment', 'en_1')).toMatchObject({ status: 'конверсия', exitReason: 'goal', enrolledAt: '15 янв. 2025 г., 16:00 GMT+10' });
    expect(rowCells(html, 'data-kind', 'deferred')).toMatchObject({
      at: '17 янв. 2025 г., 00:00 GMT+10', touchId: 'lesson-2', reason: 'тихие часы (quiet_hours) · до 17 янв. 2025 г., 09:00 GMT+10',
    });
    expect(rowCells(html, 'data-kind', 'conversion')).toMatchObject({ at: '17 янв. 2025 г., 13:00 GMT+10', value: '1 500,00' });
    const kinds = [...html.matchAll(/<tr data-kind="(\w+)"/g)].map((m) => m[1]);
    expect(kinds.slice(0, 3)).toEqual(['event', 'enrolled', 'scheduled']);
    expect(kinds.at(-1)).toBe('finished');
  });

  it('shows a skip with its reason once, and uses the funnel zone for a contact without one', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const jar = await client.login();
    const egor = await client.page('/dashboard/contacts/ct_6', jar);
    expect(egor).toContain('data-zone="Europe/Moscow"');
    expect(rowCells(egor, 'data-kind', 'skipped')).toMatchObject({ touchId: 'welcome', reason: 'нет согласия (no_consent)' });
    expect(rowCells(egor, 'data-kind', 'scheduled')).toMatchObject({ status: 'пропущено', reason: '' });
    expect(rowCells(egor, 'data-kind', 'enrolled')).toMatchObject({ at: '15 янв. 2025 г., 09:05 GMT+3' });
    const missing = await client.get('/dashboard/contacts/ct_404', jar);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Контакт не найден');
  });
});

describe('dashboard in English', () => {
  it('translates the funnel and contact pages and formats numbers and dates the English way', async () => {
    const client = new DashboardClient(plainApp, PASSWORD);
    const jar = await client.login();
    const funnel = await client.page('/dashboard/funnels/course?lang=en', jar);
    for (const text of ['Step-by-step funnel', 'Funnel plan', 'Skips and deferrals by reason', 'Attribution', 'first touch', 'Split tests', 'Probability best']) {
      expect(funnel).toContain(text);
    }
    expect(rowCells(funnel, 'data-funnel', 'course')).toMatchObject({ conversionRate: '33.3%', revenue: '3,500.00' });
    const contact = await client.page('/dashboard/contacts/ct_1?lang=en', jar);
    expect(rowCells(contact, 'data-kind', 'deferred')).toMatchObject({ reason: 'quiet hours (quiet_hours) · until Jan 17, 2025, 09:00 AM GMT+10' });
  });
});
