import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import type { Harness } from '../helpers/harness';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_SECRET_KEY, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { endAtRest, untilAtRest } from '../helpers/at-rest';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../helpers/fake-telegram';
import { asUpdate } from '../channels/telegram/fixtures';
import { createTelegramChannel, type TelegramBotChannel } from '../../src/channels/telegram/channel';
import { handleTelegramUpdate } from '../../src/channels/telegram/updates';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email, telegram, wait } from '../../src/dsl/steps';

const H = 3_600_000;
const D = 24 * H;
const base = { timezone: 'Europe/Moscow', attributes: ['source'], events: [], goal: { event: 'order.paid', withinMs: 30 * D, exit: true } };

/** A welcome bot: entered by a /start, a message at once, another the next day. */
const bot = (draft = false): VersionedPlan => ({
  version: draft ? 'bot-draft' : 'bot-1',
  plan: {
    ...base, id: 'bot-welcome', name: 'Бот', entry: 'telegram.subscribed', ...(draft && { draft: true }),
    steps: [
      telegram('hello', { text: 'Привет, {{ contact.firstName }}! Вы пришли из {{ contact.attributes.source }}.' }),
      wait('pause', '1d'),
      telegram('day-2', { text: 'День второй' }),
    ],
  },
});

/** An email course a known contact is in. */
const course: VersionedPlan = {
  version: 'course-1',
  plan: { ...base, id: 'course', name: 'Курс', entry: null, steps: [email('lesson-1', { subject: 'Урок 1', text: '1' }), wait('pause', '2d'), email('lesson-2', { subject: 'Урок 2', text: '2' })] },
};

describe('the bot as the front door (virtual time, loopback Bot API)', () => {
  let env: TestWorkflowEnvironment;
  let tg: FakeTelegram;
  let channel: TelegramBotChannel;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    tg = await startFakeTelegram();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, perChatIntervalMs: 0 });
  });
  afterAll(async () => {
    await tg?.close();
    await env?.teardown();
  });

  const textsTo = (chatId: number) => tg.sent.filter((m) => m.chatId === String(chatId)).map((m) => m.text);
  /**
   * Runs a scenario; workflows still waiting are ended after it (a timer of a queue nobody polls would stall time
   * skipping), each once at rest: ended mid-task it would lock the server's time for the rest of the file.
   */
  const run = (plans: VersionedPlan[], fn: (h: Harness, update: (u: Parameters<typeof asUpdate>[0]) => Promise<void>) => Promise<void>) =>
    withHarness(env, plans, recordingEmail().channel, async (h) => {
      try {
        await fn(h, (u) => handleTelegramUpdate({ ...h.deps, secretKey: TEST_SECRET_KEY, channel }, asUpdate(u)));
      } finally {
        const running = await h.db.selectFrom('enrollments').select('workflow_id').where('status', '=', 'active').execute();
        for (const r of running) await endAtRest(env, (id) => h.deps.gateway.end(id, 'test over'), r.workflow_id);
      }
    }, { telegram: channel });

  it('a bare /start enters the funnel whose entry is telegram.subscribed, and its touches reach the chat', async () => {
    await run([bot()], async (h, update) => {
      await update(tgUpdates.text(9101, '/start vk_ads'));
      await eventually(() => textsTo(9101).includes('Привет, Анна! Вы пришли из vk_ads.'), 'the first touch');
      await h.advance(D + H);
      await eventually(() => textsTo(9101).includes('День второй'), 'the second touch');
      const contact = await h.db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', '9101').executeTakeFirstOrThrow();
      expect(await h.db.selectFrom('enrollments').select(['funnel_id', 'contact_id']).execute()).toEqual([{ funnel_id: 'bot-welcome', contact_id: contact.id }]);
      expect(await h.db.selectFrom('deliveries').select(['touch_id', 'status', 'recipient']).orderBy('scheduled_at').execute())
        .toEqual([{ touch_id: 'hello', status: 'delivered', recipient: '9101' }, { touch_id: 'day-2', status: 'delivered', recipient: '9101' }]);
    });
  });

  it('a draft bot funnel lets only a test contact in through /start', async () => {
    await run([bot(true)], async (h, update) => {
      await update(tgUpdates.text(9102, '/start'));
      await upsertContact(h.db, { externalId: 'tester', telegramChatId: '9103', test: true }, 'api');
      await update(tgUpdates.text(9103, '/start'));
      await eventually(() => textsTo(9103).some((t) => t.startsWith('Привет')), 'the tester\'s first touch');
      expect(textsTo(9102).some((t) => t.startsWith('Привет'))).toBe(false);
      expect(await h.db.selectFrom('enrollments').select('contact_id').execute()).toHaveLength(1);
    });
  });

  it('a merge ends the merged-away duplicate of a funnel both are in: the next touch reaches the chat once', async () => {
    await run([bot(), course], async (h, update) => {
      const known = (await upsertContact(h.db, { email: 'vera@example.test', phone: '+79161230001', consent: { email: true } }, 'api')).contact;
      await enroll(h.deps, 'bot-welcome', known.id); // no chat yet: its hello is skipped, it waits for day 2
      await update(tgUpdates.text(9104, '/start'));
      await eventually(() => textsTo(9104).some((t) => t.startsWith('Привет')), 'the bot contact\'s first touch');
      // Merge once both rest (no workflow task or activity open): the merge terminates the duplicate, and one
      // terminated mid-task leaves the time-skipping server's time locked for the rest of the file.
      const botContact = await h.db.selectFrom('contacts').select('id').where('telegram_chat_id', '=', '9104').executeTakeFirstOrThrow();
      const restsAtPause = async (contactId: string) => (await h.db.selectFrom('enrollments').select('current_step')
        .where('funnel_id', '=', 'bot-welcome').where('contact_id', '=', contactId).executeTakeFirst())?.current_step === 'pause';
      for (const contactId of [botContact.id, known.id]) {
        await eventually(() => restsAtPause(contactId), `${contactId} noting it waits for day 2`);
        await untilAtRest(env, `funnel:bot-welcome:${contactId}`);
      }
      await update(tgUpdates.contact(9104, '79161230001'));
      const ended = await h.db.selectFrom('enrollments').select(['contact_id', 'status', 'exit_reason']).where('status', '!=', 'active').execute();
      expect(ended).toEqual([{ contact_id: known.id, status: 'exited', exit_reason: 'merged' }]);

      await h.advance(D + H);
      await eventually(() => textsTo(9104).includes('День второй'), 'day 2');
      await h.advance(H);
      expect(textsTo(9104).filter((t) => t === 'День второй')).toHaveLength(1);
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'status', 'contact_id']).where('touch_id', '=', 'day-2').execute();
      expect(rows).toEqual([{ touch_id: 'day-2', status: 'delivered', contact_id: known.id }]);
    });
  }, 180_000); // several real-time waits on the workers in a row: on a loaded machine they add up past the default minute

  it('a merged-away enrollment in a funnel the survivor is not in goes on as the survivor\'s', async () => {
    await run([bot(), course], async (h, update) => {
      const known = (await upsertContact(h.db, { email: 'gleb@example.test', phone: '+79161230002', consent: { email: true } }, 'api')).contact;
      await enroll(h.deps, 'course', known.id);
      await update(tgUpdates.text(9105, '/start'));
      await eventually(() => textsTo(9105).some((t) => t.startsWith('Привет')), 'the bot contact\'s first touch');
      const botContact = await h.db.selectFrom('contacts').select('id').where('telegram_chat_id', '=', '9105').executeTakeFirstOrThrow();
      await update(tgUpdates.contact(9105, '+79161230002'));

      expect(await h.db.selectFrom('enrollments').select(['funnel_id', 'contact_id', 'status']).orderBy('funnel_id').execute()).toEqual([
        { funnel_id: 'bot-welcome', contact_id: known.id, status: 'active' }, { funnel_id: 'course', contact_id: known.id, status: 'active' },
      ]);
      await h.advance(D + H);
      await eventually(() => textsTo(9105).includes('День второй'), 'day 2 of the continued enrollment');
      const day2 = await h.db.selectFrom('deliveries').select(['contact_id', 'recipient']).where('touch_id', '=', 'day-2').executeTakeFirstOrThrow();
      expect(day2).toEqual({ contact_id: known.id, recipient: '9105' });
      // The workflow still carries the merged-away id; it resolves to the survivor.
      const wf = await h.db.selectFrom('enrollments').select('workflow_id').where('funnel_id', '=', 'bot-welcome').executeTakeFirstOrThrow();
      expect(wf.workflow_id).toBe(`funnel:bot-welcome:${botContact.id}`);
    });
  }, 180_000); // several real-time waits on the workers in a row: on a loaded machine they add up past the default minute
});
