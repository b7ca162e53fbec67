import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../src/channels/telegram/channel';
import { createSharedTelegramPacer } from '../../../src/channels/telegram/shared-pacer';
import { openDatabase, type Db } from '../../../src/db/database';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram';
import { freshDatabase, type TestDatabase } from '../../helpers/test-db';

/** The most receive times in any window of `ms`, and the window's start. */
function densest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe("Telegram's limits across two workers on one database", () => {
  let t: TestDatabase;
  let telegram: FakeTelegram;
  const handles: Db[] = [];
  beforeAll(async () => { [t, telegram] = await Promise.all([freshDatabase(), startFakeTelegram()]); });
  afterAll(async () => {
    for (const h of handles) await h.destroy();
    await telegram.close();
    await t.close();
  });

  it('the Bot API peer never receives more than 30 messages in a second overall, nor two to one chat within a second', async () => {
    // Two workers: each its own channel, its own in-process pacer, its own connection to the shared database.
    const workers = [0, 1].map(() => {
      const db = openDatabase(t.target);
      handles.push(db);
      return createTelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, shared: createSharedTelegramPacer({ db, botId: telegram.token.split(':')[0]! }) });
    });
    // 40 chats × 3 messages, every message sent by both workers' activities at once (as two enrollments' touches would).
    const sends: Array<Promise<unknown>> = [];
    for (let round = 0; round < 3; round++) {
      for (let chat = 1; chat <= 40; chat++) {
        for (const [w, channel] of workers.entries()) {
          if ((chat + round) % 2 !== w) continue; // each worker gets half the messages, alternating per round
          sends.push(channel.send({ chatId: String(100 + chat), text: `touch ${round} to ${chat} from worker ${w}` }, { deliveryId: `dl_${round}_${chat}` }));
        }
      }
    }
    const startedAt = Date.now();
    const results = await Promise.all(sends);
    const took = Date.now() - startedAt;
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(telegram.sent).toHaveLength(120);

    const overall = densest(telegram.sent.map((m) => m.at), 1000);
    const byChat = new Map<string, number[]>();
    for (const m of telegram.sent) byChat.set(m.chatId, [...(byChat.get(m.chatId) ?? []), m.at]);
    const perChat = Math.max(...[...byChat.values()].map((times) => densest(times, 1000)));
    const gaps = [...byChat.values()].flatMap((times) => times.sort((a, b) => a - b).slice(1).map((at, i) => at - times[i]!));
    const story = `120 messages in ${took} ms; densest second overall ${overall}, per chat ${perChat}; shortest chat gap ${Math.min(...gaps)} ms`;
    expect(overall, story).toBeLessThanOrEqual(30);
    expect(perChat, story).toBe(1);
    // The two workers together still use the budget: 25/s default, so 120 messages take about 4.8 s, not twice that.
    expect(took, story).toBeLessThan(12_000);
  }, 30_000);
});
