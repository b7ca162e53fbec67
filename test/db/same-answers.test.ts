import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase, type Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { ATTRIBUTION_MODELS } from '../../src/analytics/attribution-models';
import { funnelStats, funnelStatsFromRawTables } from '../../src/analytics/funnel-stats';
import { experiments } from '../../src/analytics/experiments';
import { funnelKpis } from '../../src/http/dashboard/data/funnel-data';
import { inFlightCounts } from '../../src/http/dashboard/data/plan-flow';
import { loadContactCard, searchContacts } from '../../src/http/dashboard/data/contact-data';
import { contactTimeline } from '../../src/http/dashboard/data/timeline-data';
import { latestOutbox } from '../../src/http/dashboard/data/outbox-data';
import { capOpening } from '../../src/policy/frequency-cap';
import { buildHistory, HISTORY_START, type SyntheticTouch } from '../analytics/synthetic-history';
import { coursePlan, seedDashboard } from '../browser/seed-dashboard';
import { freshDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db';
import { insertMigration, recordEnrollmentMigration } from '../../src/versions/migration-rows';
import { versionsInFlight } from '../../src/versions/in-flight';

/*
 * The same queries give the same answers on both databases: one SQLite and one PostgreSQL database get the same
 * seeded history through the same writes, then every stats, experiments and dashboard read is asked of both.
 * (Only in the PostgreSQL run: the SQLite run has no PostgreSQL to compare with.)
 */

const H = 3_600_000;
const D = 24 * H;

const plan: Plan = {
  id: 'gamma', name: 'Gamma', entry: null, timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 6 * D, exit: false, value: 10 },
  steps: [
    { type: 'email', id: 'g1', subject: 's', text: 't' }, { type: 'sms', id: 'g2', text: 't', holdout: 0.3 },
    { type: 'split', id: 's', variants: ['a', 'b', 'c'].map((v) => ({ id: v, weight: 1, steps: [{ type: 'telegram' as const, id: `g3${v}`, text: 't' }] })) },
  ],
};
const touches: SyntheticTouch[] = [
  { id: 'g1', channel: 'email' }, { id: 'g2', channel: 'sms', holdout: 0.3 },
  { id: 'g3', channel: 'telegram', variants: { splitId: 's', ids: { a: 'g3a', b: 'g3b', c: 'g3c' } } },
];

describe.runIf(TEST_DB === 'postgres')('SQLite and PostgreSQL', () => {
  let pg: TestDatabase;
  let lite: Db;
  let dir: string;
  const both = async <T>(read: (db: Db) => Promise<T>): Promise<[T, T]> => [await read(lite), await read(pg.db)];

  beforeAll(async () => {
    pg = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'af-same-'));
    lite = await openMigratedDatabase(join(dir, 'db.sqlite'));
    for (const db of [lite, pg.db]) {
      await buildHistory(db, plan, touches, 150, 7);
      await seedDashboard(db);
    }
  });
  afterAll(async () => {
    await lite?.destroy();
    rmSync(dir, { recursive: true, force: true });
    await pg?.close();
  });

  it('count the same stats under every model, for whole and ragged periods, from rollups and from raw rows', async () => {
    const periods = [{}, { from: HISTORY_START + 3 * D + 5 * H + 17, to: HISTORY_START + 9 * D + 2 * H + 1 }, { from: HISTORY_START + 30 * 60_000, to: HISTORY_START + 40 * 60_000 }];
    for (const model of ATTRIBUTION_MODELS) {
      for (const period of periods) {
        const [a, b] = await both((db) => funnelStats(db, plan, { model, ...period }));
        expect(b, `${model} ${JSON.stringify(period)}`).toEqual(a);
        expect(a.touches.some((t) => t.sent > 0) || period !== periods[0]).toBe(true);
        const [rawA, rawB] = await both((db) => funnelStatsFromRawTables(db, plan, { model, ...period }));
        expect(rawB).toEqual(rawA);
      }
    }
  });

  it('give the same split and holdout results, rollups and raw', async () => {
    for (const source of ['rollups', 'raw'] as const) {
      const [a, b] = await both((db) => experiments(db, plan, { from: HISTORY_START + 2 * D + 7 * H }, source));
      expect(b).toEqual(a);
      expect(a.splits[0]!.variants.length).toBe(3);
    }
  });

  it('show the same dashboard: KPIs, in-flight counts, contact search, cards, timelines, outbox', async () => {
    const versioned = { plan: coursePlan, version: 'v1' };
    const [kpiA, kpiB] = await both((db) => funnelKpis(db, versioned, {}));
    expect(kpiB).toEqual(kpiA);
    const [flightA, flightB] = await both((db) => inFlightCounts(db, coursePlan, {}));
    expect([...flightB]).toEqual([...flightA]);
    for (const text of ['anna', 'ANNA@example', 'Анна', 'анна', 'СМИРНОВА', '+7 900 111', 'ct_3', '50%', 'a_b']) {
      const [a, b] = await both((db) => searchContacts(db, text));
      expect(b.map((c) => c.id), text).toEqual(a.map((c) => c.id));
    }
    for (const id of ['ct_1', 'ct_2', 'ct_5']) {
      const [cardA, cardB] = await both((db) => loadContactCard(db, id));
      expect(cardB).toEqual(cardA);
      const [lineA, lineB] = await both((db) => contactTimeline(db, id));
      expect(lineB).toEqual(lineA);
      expect(lineA.length).toBeGreaterThan(0);
    }
    const [outA, outB] = await both((db) => latestOutbox(db, () => 'Europe/Moscow'));
    expect(outB).toEqual(outA);
  });

  it('hold a contact back under the frequency cap at the same moment', async () => {
    const contactId = (await lite.selectFrom('deliveries').select('contact_id').where('status', '=', 'sent').orderBy('contact_id').executeTakeFirstOrThrow()).contact_id;
    for (const at of [HISTORY_START + D, HISTORY_START + 5 * D, HISTORY_START + 12 * D]) {
      const [a, b] = await both((db) => capOpening(db, contactId, at, 0, { max: 1, windowMs: 3 * D }, 'none'));
      expect(b).toBe(a);
    }
  });

  it('count the same stats of one version after a migration moved some enrollments, and the same versions in flight', async () => {
    // Last: it moves every third enrollment onto v2 on day 6, which the reads above do not expect.
    const movedAt = HISTORY_START + 6 * D + 3 * H;
    for (const db of [lite, pg.db]) {
      const m = await insertMigration(db, { funnelId: plan.id, from: 'v1', to: 'v2', map: {}, total: 50, at: movedAt });
      const ids = await db.selectFrom('enrollments').select('id').where('funnel_id', '=', plan.id).orderBy('id').execute();
      for (const { id } of ids.filter((_, i) => i % 3 === 0)) {
        await recordEnrollmentMigration(db, { migrationId: m.id, enrollmentId: id, fromVersion: 'v1', toVersion: 'v2', fromStep: null, toStep: null, outcome: 'moved', at: movedAt });
      }
    }
    for (const model of ATTRIBUTION_MODELS) {
      const sent: number[] = [];
      for (const version of ['v1', 'v2']) {
        const [a, b] = await both((db) => funnelStatsFromRawTables(db, plan, { model, version }));
        expect(b, `${model} ${version}`).toEqual(a);
        sent.push(a.touches.reduce((n, t) => n + t.sent, 0));
      }
      const whole = (await funnelStatsFromRawTables(pg.db, plan, { model })).touches.reduce((n, t) => n + t.sent, 0);
      expect(sent.every((n) => n > 0) && sent[0]! + sent[1]! === whole, `${model}: ${sent} of ${whole}`).toBe(true);
    }
    const [lineA, lineB] = await both((db) => contactTimeline(db, `ct_${plan.id}-e0`));
    expect(lineB).toEqual(lineA);
    expect(lineA.some((item) => item.kind === 'migrated')).toBe(true);
    const [flightA, flightB] = await both((db) => versionsInFlight(db, plan.id, 'v2'));
    expect(flightB).toEqual(flightA);
    expect(flightA.map((v) => v.version).sort()).toEqual(['v1', 'v2']);
  });
});
