import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeadership, type Leadership } from '../../src/cluster/leader';
import { leaseHolder } from '../../src/db/leases';
import { loadConfig } from '../../src/config';
import { createLogger, silentLogger } from '../../src/log';
import { startEngine, type RunningEngine } from '../../src/runtime/engine';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram';
import { freePort } from '../helpers/ports';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
  return Date.now() - started;
}

describe('the leader lease', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await freshDatabase(); });
  afterAll(async () => { await t.close(); });

  it('lets one of two processes lead, and the other take over within the lease when the leader dies without releasing it', async () => {
    const TTL = 900;
    const running = new Map<string, number>();
    const make = (name: string): Leadership => startLeadership({
      db: t.db, log: silentLogger, ttlMs: TTL, holder: name,
      work: async () => {
        running.set(name, (running.get(name) ?? 0) + 1);
        return async () => { running.set(name, running.get(name)! - 1); };
      },
    });
    const a = make('a');
    await a.ready;
    const b = make('b');
    await b.ready;
    // Two lease lengths of renewals: the first holder keeps leading, the second never starts the work.
    await sleep(TTL * 2);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(running.get('a')).toBe(1);
    expect(running.get('b')).toBeUndefined();
    expect(await leaseHolder(t.db, 'leader', Date.now())).toBe('a');

    // The leader dies: its renewals stop, its lease row stays as it was, to run out.
    const diedAt = Date.now();
    await a.stop({ release: false });
    await until('b leads', () => b.isLeader(), TTL * 2);
    const takeover = Date.now() - diedAt;
    expect(takeover).toBeLessThanOrEqual(TTL + TTL / 3 + 400);
    expect(running.get('b')).toBe(1);
    expect(running.get('a')).toBe(0);

    // A leader that stops cleanly hands over at the next try (a third of the lease), not after the whole lease.
    const c = make('c');
    await c.ready;
    expect(c.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await b.stop();
    await until('c leads', () => c.isLeader(), TTL);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL);
    await c.stop();
    expect(await leaseHolder(t.db, 'leader', Date.now())).toBeNull();
  }, 20_000);
});

describe('two servers on one database', () => {
  let env: TestWorkflowEnvironment;
  let t: TestDatabase;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    [env, t, telegram] = await Promise.all([createTimeSkippingEnv(), freshDatabase(), startFakeTelegram()]);
  }, 60_000);
  afterAll(async () => {
    await telegram?.close();
    await t?.close();
    await env?.teardown();
  });

  it('only one polls Telegram and sweeps; when it stops the other takes both over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-leader-'));
    mkdirSync(join(dir, 'funnels'));
    const lines: string[][] = [[], []];
    const engines: RunningEngine[] = [];
    for (const i of [0, 1]) {
      const config = loadConfig({
        DATA_DIR: join(dir, `data-${i}`), FUNNELS_DIR: join(dir, 'funnels'), DATABASE_URL: t.target.startsWith('postgres') ? t.target : `sqlite:${t.target}`,
        TEMPORAL_ADDRESS: env.address, PORT: String(await freePort()), HOST: '127.0.0.1',
        TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_UPDATES: 'polling', LEADER_LEASE_MS: '1500',
        API_TOKEN: 'leader-test-token-0123456789', SECRET_KEY: 'leader-test-secret-key-0123456789abcdef',
      });
      engines.push(await startEngine(config, createLogger('info', (l) => lines[i]!.push(l)), 'server'));
    }
    try {
      const polls = (i: number) => lines[i]!.filter((l) => l.includes('telegram: polling for updates')).length;
      const leads = (i: number) => lines[i]!.filter((l) => l.includes('leader: this process leads')).length;
      await sleep(3_500); // more than two lease lengths
      expect([polls(0), polls(1)]).toEqual([1, 0]);
      expect([leads(0), leads(1)]).toEqual([1, 0]);
      // Long polls come from one process only: never two getUpdates in flight at once (the fake answers after 0 s or the timeout).
      expect(telegram.callsOf('getUpdates').length).toBeGreaterThan(0);

      await engines.shift()!.stop();
      await until('the second server leads', () => leads(1) === 1 && polls(1) === 1, 3_000);
    } finally {
      for (const e of engines) await e.stop();
    }
  }, 60_000);
});
