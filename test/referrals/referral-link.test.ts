import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { storeFunnelVersions } from '../../src/db/funnels';
import { upsertContact } from '../../src/db/contacts';
import { email } from '../../src/dsl/steps';
import { sendTouch, type SendTouchDeps } from '../../src/activities/send-touch';
import { referralCodeOf } from '../../src/referrals/referral-codes';
import { validateFunnel } from '../../src/dsl/check';
import { recordingEmail } from '../helpers/recording-email';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';

const PUBLIC = 'https://school.example';
const T0 = Date.parse('2030-03-12T12:00:00+03:00');
const invite = email('invite', { subject: 'Приведите друга', text: 'Ваша ссылка: {{ links.referral }}' });
const plan = (withForm: boolean): Plan => ({
  id: withForm ? 'with-form' : 'bot-only', name: 'F', entry: null, timezone: 'Europe/Moscow', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 86_400_000, exit: true }, steps: [invite],
  ...(withForm && {
    pages: [{ id: 'thanks', title: 'Спасибо', html: '<p>Спасибо!</p>' }],
    form: { title: 'Заявка', fields: [{ name: 'email', label: 'Почта', required: true }], consents: [{ channel: 'email', label: 'Согласен', required: true }], thankYouPage: 'thanks' },
  }),
});

describe('{{ links.referral }}', () => {
  let db: Db;
  let fresh: TestDatabase;
  let mail: ReturnType<typeof recordingEmail>;
  let n = 0;
  beforeEach(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
    mail = recordingEmail();
    await storeFunnelVersions(db, [{ plan: plan(true), version: 'v1' }, { plan: plan(false), version: 'v1' }]);
  });
  afterEach(async () => { await fresh.close(); });

  async function send(funnelId: string, telegramBot: string | null): Promise<{ text: string; contactId: string }> {
    const deps: SendTouchDeps = { db, email: mail.channel, mailFrom: 's@example.test', publicUrl: PUBLIC, secretKey: 'k'.repeat(32), telegramBot };
    const { contact } = await upsertContact(db, { email: `c${++n}@example.test`, consent: { email: true } }, 'test');
    await db.insertInto('enrollments').values({ id: `en_${n}`, funnel_id: funnelId, contact_id: contact.id, version: 'v1', workflow_id: `wf${n}`, status: 'active', enrolled_at: T0 } as never).execute();
    await sendTouch(deps, { enrollmentId: `en_${n}`, funnelId, contactId: contact.id, funnelName: 'F', touch: invite, trigger: null, scheduledAt: T0 });
    // Links in messages are tracked: the target stays on the server.
    const targets = await db.selectFrom('links').select('url').where('delivery_id', '=', mail.sent.at(-1)!.deliveryId).execute();
    return { text: `${mail.sent.at(-1)!.text ?? ''} ${targets.map((l) => l.url).join(' ')}`.trim(), contactId: contact.id };
  }

  it('is the funnel\'s lead form with the contact\'s code when the funnel has a form', async () => {
    const { text, contactId } = await send('with-form', 'school_bot');
    expect(text).toContain(`${PUBLIC}/f/with-form?ref=${await referralCodeOf(db, contactId, T0)}`);
  });

  it('is the bot\'s deep link otherwise, and empty without a bot', async () => {
    const viaBot = await send('bot-only', 'school_bot');
    expect(viaBot.text).toContain(`https://t.me/school_bot?start=ref_${await referralCodeOf(db, viaBot.contactId, T0)}`);
    const none = await send('bot-only', null);
    expect(none.text).toBe('Ваша ссылка:');
  });

  it('is a known variable to npm run check, and a typo of it gets a suggestion', () => {
    expect(validateFunnel(plan(true)).problems).toEqual([]);
    const typo = { ...plan(true), steps: [email('invite', { subject: 'x', text: '{{ links.referal }}' })] };
    expect(validateFunnel(typo).problems.map((p) => p.fix)).toContain('did you mean {{ links.referral }}?');
  });

  it('warns when it would render empty: no form and no bot', () => {
    expect(validateFunnel(plan(false), { telegramBot: false }).warnings.map((w) => w.message))
      .toEqual(['text uses {{ links.referral }}, but the funnel has no lead form and no Telegram bot is configured: there is nowhere for a friend to sign up, it renders empty']);
    expect(validateFunnel(plan(false), { telegramBot: true }).warnings).toEqual([]);
    expect(validateFunnel(plan(true), { telegramBot: false }).warnings).toEqual([]);
  });
});
