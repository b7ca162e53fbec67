import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosOptions } from '../../scripts/chaos/run-chaos';
import { formatReport } from '../../scripts/chaos/report';
import { freshDatabaseTarget, TEST_DB } from '../helpers/test-db';

/** `npm run chaos`, smaller: the same stack and faults, 60 contacts, shorter outages. */
const SMALL_RUN: Omit<ChaosOptions, 'log'> = {
  contacts: 60, workers: 2, workerKills: 3, firstWorkerKillAtMs: 4_000, workerKillEveryMs: 7_000,
  serverKillAtMs: 8_000, temporalKillAtMs: 15_000, temporalDownMs: 3_000,
  smtpOutage: { atMs: 2_000, forMs: 10_000 }, telegram429: { atMs: 6_000, forMs: 8_000, retryAfterS: 2 },
  eventsPerSecond: 10, eventsForMs: 20_000, enrollConcurrency: 6, drainTimeoutMs: 150_000,
};

describe('chaos (the split stack under kills and outages)', () => {
  it('loses no touch and no accepted event, and doubles a touch only where a kill interrupted its send', async () => {
    const lines: string[] = [];
    // In the PostgreSQL run the server and both workers share a PostgreSQL database instead of the SQLite file.
    const databaseUrl = TEST_DB === 'postgres' ? (await freshDatabaseTarget({ migrated: false })).target : undefined;
    const report = await runChaos({ ...SMALL_RUN, databaseUrl, log: (l) => lines.push(l) });
    const table = formatReport(report);
    // The run's story and its table, for whoever reads a failure.
    const story = `${lines.join('\n')}\n${table}`;
    expect(report.workerKills, story).toBe(3);
    expect(report.faults.map((f) => f.what), story).toEqual(expect.arrayContaining(['kill -9 server', 'kill -9 temporal', 'server back', 'temporal back']));
    expect(report.received, story).toBe(report.expected);
    expect(report.lost, story).toBe(0);
    expect(report.duplicated, story).toBeLessThanOrEqual(report.killsInSendWindow);
    expect(report.events.posted, story).toBeGreaterThan(100);
    expect(report.events.accepted, story).toBe(report.events.posted);
    expect(report.events.lost, story).toBe(0);
    expect(report.events.stored, story).toBe(report.events.accepted);
    expect(report.ledgerStatuses, story).toEqual({ delivered: 120, sent: 60 });
    // A killed worker's sends come back within the heartbeat timeout, not the 2-minute start-to-close one.
    expect(report.drainMs, story).toBeLessThan(90_000);
  }, 300_000);
});
