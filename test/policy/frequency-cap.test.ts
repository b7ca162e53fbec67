import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { DeliveryStatus } from '../../src/db/schema';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';
import { upsertContact } from '../../src/db/contacts';
import { parseDuration } from '../../src/dsl/duration';
import { capOpening, parseFrequencyCap, type FrequencyCap } from '../../src/policy/frequency-cap';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const CAP: FrequencyCap = { max: 2, windowMs: 24 * H };
const toMs = (d: string) => parseDuration(d) ?? null;

let db: Db;
let contactId: string;
let n = 0;

/** One ledger row of the contact, sent at `sentAt` by a funnel of `priority`. */
async function delivery(sentAt: number | null, opts: { priority?: number | null; status?: DeliveryStatus; channel?: string; contact?: string } = {}): Promise<string> {
  const id = `dl_test_${++n}`;
  const contact = opts.contact ?? contactId;
  await db.insertInto('enrollments').values({
    id: `en_test_${n}`, funnel_id: `f${n}`, contact_id: contact, version: 'v1', workflow_id: `wf${n}`, status: 'active', enrolled_at: NOW - 48 * H,
  } as never).execute();
  await db.insertInto('deliveries').values({
    id, enrollment_id: `en_test_${n}`, funnel_id: `f${n}`, contact_id: contact, touch_id: 't', channel: opts.channel ?? 'email',
    status: opts.status ?? 'delivered', scheduled_at: sentAt ?? NOW, created_at: sentAt ?? NOW, sent_at: sentAt, attempts: 1,
    priority: opts.priority === undefined ? 0 : opts.priority,
  }).execute();
  return id;
}

let fresh: TestDatabase;

beforeEach(async () => {
  fresh = await freshDatabase();
  db = fresh.db;
  contactId = (await upsertContact(db, { email: 'cap@example.test' }, 'test')).contact.id;
});
afterEach(async () => { await fresh.close(); });

describe('capOpening', () => {
  it('lets a contact under the cap get the message now', async () => {
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW);
    await delivery(NOW - 3 * H);
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW);
  });

  it('at the cap, holds the message until the oldest counted send leaves the window', async () => {
    await delivery(NOW - 30 * H); // outside the window: not counted
    await delivery(NOW - 10 * H);
    await delivery(NOW - 2 * H);
    await delivery(NOW - 1 * H);
    // The two newest count (max 2); the oldest of them is 2h ago, so the contact is free 22h from now.
    const opening = await capOpening(db, contactId, NOW, 0, CAP, 'none');
    expect(opening).toBe(NOW - 2 * H + CAP.windowMs);
    // And at that moment the cap really lets it through.
    expect(await capOpening(db, contactId, opening, 0, CAP, 'none')).toBe(opening);
  });

  it("never counts the delivery being decided, nor another contact's sends", async () => {
    const own = await delivery(NOW - 1 * H);
    await delivery(NOW - 2 * H);
    const other = (await upsertContact(db, { email: 'other@example.test' }, 'test')).contact.id;
    await delivery(NOW - 30 * MIN, { contact: other });
    await delivery(NOW - 20 * MIN, { contact: other });
    expect(await capOpening(db, contactId, NOW, 0, CAP, own)).toBe(NOW);
  });

  it('sends of lower-priority funnels do not hold back a higher-priority funnel; higher ones count against lower', async () => {
    await delivery(NOW - 2 * H, { priority: 0 });
    await delivery(NOW - 1 * H, { priority: 0 });
    expect(await capOpening(db, contactId, NOW, 10, CAP, 'none')).toBe(NOW);
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW - 2 * H + CAP.windowMs);

    await delivery(NOW - 3 * H, { priority: 10 });
    await delivery(NOW - 30 * MIN, { priority: 10 });
    expect(await capOpening(db, contactId, NOW, 10, CAP, 'none')).toBe(NOW - 3 * H + CAP.windowMs);
    // For a priority-0 funnel all four count: the second newest (1h ago) decides.
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW - 1 * H + CAP.windowMs);
    // A row written before priorities existed (NULL) counts as priority 0.
    await db.updateTable('deliveries').set({ priority: null }).where('priority', '=', 0).execute();
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW - 1 * H + CAP.windowMs);
    expect(await capOpening(db, contactId, NOW, -5, CAP, 'none')).toBe(NOW - 1 * H + CAP.windowMs);
  });

  it('counts only messages that went out: not page visits, skipped, failed, held-out, pending or deferred rows', async () => {
    await delivery(NOW - 1 * H, { channel: 'page' });
    for (const status of ['skipped', 'failed', 'held_out', 'pending', 'deferred'] as const) await delivery(NOW - 2 * H, { status });
    await delivery(null, { status: 'failed' });
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW);
    // Every sent-like status counts: sms 'sent', email 'delivered', dev 'outbox'.
    await delivery(NOW - 4 * H, { status: 'sent', channel: 'sms' });
    await delivery(NOW - 5 * H, { status: 'outbox', channel: 'telegram' });
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW - 5 * H + CAP.windowMs);
  });

  it('ignores sends after `now` (a later delivery of a replayed activity)', async () => {
    await delivery(NOW - 1 * H);
    await delivery(NOW + 1 * H);
    expect(await capOpening(db, contactId, NOW, 0, CAP, 'none')).toBe(NOW);
  });
});

describe('parseFrequencyCap', () => {
  it('parses messages per window', () => {
    expect(parseFrequencyCap('3/24h', toMs)).toEqual({ max: 3, windowMs: 24 * H });
    expect(parseFrequencyCap(' 5 / 7d ', toMs)).toEqual({ max: 5, windowMs: 7 * 24 * H });
    expect(parseFrequencyCap('1/1d12h', toMs)).toEqual({ max: 1, windowMs: 36 * H });
  });

  it('means "no cap" for an empty value', () => {
    expect(parseFrequencyCap(undefined, toMs)).toBeUndefined();
    expect(parseFrequencyCap('', toMs)).toBeUndefined();
  });

  it('refuses anything else, quoting the value', () => {
    for (const bad of ['3', '3/', '/24h', '0/24h', '-1/24h', 'three/24h', '3/soon', '3/24h/2', '3:24h', '1.5/24h']) {
      expect(() => parseFrequencyCap(bad, toMs), bad).toThrow(`FREQUENCY_CAP must look like 3/24h (messages per window), got ${JSON.stringify(bad)}`);
    }
  });
});
