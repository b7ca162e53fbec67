import type { Db } from '../../src/db/database';
import { freshDatabase } from '../helpers/test-db';
import type { DeliveryStatus } from '../../src/db/schema';
import type { Plan } from '../../src/dsl/plan';

const H = 3_600_000;
const D = 24 * H;
/** Enrollments start here: 2025-01-15 06:00 UTC = 09:00 in Moscow (the funnel) = 16:00 in Vladivostok (Anna). */
export const T0 = Date.UTC(2025, 0, 15, 6, 0);

/** A funnel with a waitFor (then/else arms), a split and an exit: every kind of edge the plan drawing has. */
export const coursePlan: Plan = {
  id: 'course', name: 'Курс «Python с нуля»', entry: 'lead.created', timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, attributes: [], events: [],
  steps: [
    { type: 'email', id: 'welcome', subject: 'Добро пожаловать', text: 'Урок 1' },
    { type: 'wait', id: 'pause', ms: D },
    {
      type: 'waitFor', id: 'clicked', events: [{ name: 'welcome.clicked' }], timeoutMs: 2 * D,
      then: [{ type: 'email', id: 'lesson-2', subject: 'Урок 2', text: 'Урок 2' }],
      else: [{ type: 'sms', id: 'reminder', text: 'Вы не открыли урок' }],
    },
    {
      type: 'split', id: 'subject-test', variants: [
        { id: 'a', weight: 1, steps: [{ type: 'email', id: 'offer-a', subject: 'Последний шанс', text: 'Оплатить' }] },
        { id: 'b', weight: 1, steps: [{ type: 'email', id: 'offer-b', subject: 'Скидка сгорает', text: 'Оплатить' }] },
      ],
    },
    { type: 'exit', id: 'done' },
  ],
};

/** What the seed holds, for tests to compare the pages with. */
export const TRUTH = {
  enrolled: 6, active: 4, converted: 2, revenue: 3500,
  welcome: { sent: 4, delivered: 4, outbox: 1, opened: 3, clicked: 2, skipped: 1, lastTouch: 0, firstTouch: 2 },
  offerA: { lastTouch: 1, firstTouch: 0 },
  /** Vera's reminder (an SMS touch) went out by email, its fallback. */
  reminder: { sent: 1, outbox: 1, fallbacks: { email: 1 } },
  flow: { welcome: 6, pause: 5, clicked: 5, then: 2, else: 3, split: 3, a: 2, b: 1 },
  /** Anna (Asia/Vladivostok, UTC+10): lesson-2 deferred for quiet hours at 00:00 local until 09:00 local on 17 Jan. */
  anna: { id: 'ct_1', deferredAt: Date.UTC(2025, 0, 16, 14, 0), deferredUntil: Date.UTC(2025, 0, 16, 23, 0) },
};

type DeliveryFields = {
  status: DeliveryStatus; at: number; channel?: string; planned?: string; reason?: string; opened?: number; clicked?: number; deferredUntil?: number; sentAt?: number;
};

/** Fills a fresh migrated database with six contacts going through coursePlan (see TRUTH). */
export async function seedDashboard(db: Db): Promise<void> {
  const contacts = [
    { id: 'ct_1', name: 'Анна Смирнова', email: 'anna@example.ru', phone: null, tz: 'Asia/Vladivostok', tg: '123456789' },
    { id: 'ct_2', name: 'Борис', email: 'boris@example.ru', phone: null, tz: 'Europe/Moscow', tg: null },
    { id: 'ct_3', name: 'Вера', email: 'vera@example.ru', phone: '+79001112233', tz: null, tg: null },
    { id: 'ct_4', name: 'Глеб', email: 'gleb@example.ru', phone: '+79004445566', tz: 'Europe/Kaliningrad', tg: null },
    { id: 'ct_5', name: 'Дарья', email: 'darya@example.ru', phone: '+79001234567', tz: null, tg: null },
    { id: 'ct_6', name: 'Егор', email: 'egor@example.ru', phone: null, tz: null, tg: null },
  ];
  await db.insertInto('contacts').values(contacts.map((c) => ({
    id: c.id, external_id: null, email: c.email, phone: c.phone, telegram_chat_id: c.tg, name: c.name, timezone: c.tz, locale: 'ru',
    attributes: '{}', created_at: T0 - H, updated_at: T0 - H,
  }))).execute();
  await db.insertInto('consents').values([
    { contact_id: 'ct_1', channel: 'email', granted: 1, source: 'form:course', updated_at: T0 - H },
    { contact_id: 'ct_6', channel: 'email', granted: 0, source: 'api', updated_at: T0 - H },
  ]).execute();
  await db.insertInto('consent_log').values({
    id: 'cl_1', contact_id: 'ct_1', channel: 'email', granted: 1, source: 'form:course', ip: '203.0.113.5', user_agent: 'Firefox',
    wording: 'Согласна получать письма о курсе', at: T0 - H,
  }).execute();

  const converted = { ct_1: Date.UTC(2025, 0, 17, 3, 0), ct_2: Date.UTC(2025, 0, 17, 5, 0) } as Record<string, number>;
  await db.insertInto('enrollments').values(contacts.map((c, i) => ({
    id: `en_${i + 1}`, funnel_id: 'course', contact_id: c.id, version: 'v1', workflow_id: `funnel:course:${c.id}`,
    status: converted[c.id] ? 'converted' as const : 'active' as const, current_step: converted[c.id] ? null : 'clicked',
    exit_reason: converted[c.id] ? 'goal' : null, trigger_event_id: null, enrolled_at: T0 + i * 60_000,
    finished_at: converted[c.id] ?? null, converted_at: converted[c.id] ?? null,
  }))).execute();

  const delivery = async (n: number, touchId: string, f: DeliveryFields) => {
    const sent = ['sent', 'delivered'].includes(f.status) ? (f.sentAt ?? f.at) : null;
    await db.insertInto('deliveries').values({
      id: `dl_${touchId}_${n}`, enrollment_id: `en_${n}`, funnel_id: 'course', contact_id: `ct_${n}`, touch_id: touchId,
      channel: f.channel ?? 'email', planned_channel: f.planned ?? f.channel ?? 'email', status: f.status, reason: f.reason ?? null, recipient: f.channel === 'sms' ? '+79000000000' : `c${n}@example.ru`,
      subject: touchId, provider_message_id: null, attempts: 1, scheduled_at: f.at, created_at: f.at, sent_at: sent,
      delivered_at: f.status === 'delivered' ? sent : null, opened_at: f.opened ?? null, clicked_at: f.clicked ?? null,
      replied_at: null, failed_at: null, deferred_until: f.deferredUntil ?? null,
    }).execute();
  };
  const at = (n: number) => T0 + (n - 1) * 60_000;
  await delivery(1, 'welcome', { status: 'delivered', at: at(1), opened: at(1) + H, clicked: at(1) + 2 * H });
  await delivery(2, 'welcome', { status: 'delivered', at: at(2), opened: at(2) + H, clicked: at(2) + 2 * H });
  await delivery(3, 'welcome', { status: 'delivered', at: at(3), opened: at(3) + H });
  await delivery(4, 'welcome', { status: 'delivered', at: at(4) });
  await delivery(5, 'welcome', { status: 'outbox', at: at(5) });
  await delivery(6, 'welcome', { status: 'skipped', at: at(6), reason: 'no_consent' });
  const { deferredAt, deferredUntil } = TRUTH.anna;
  await delivery(1, 'lesson-2', { status: 'delivered', at: deferredAt, sentAt: deferredUntil });
  await delivery(2, 'lesson-2', { status: 'delivered', at: T0 + D });
  await delivery(3, 'reminder', { status: 'sent', channel: 'email', planned: 'sms', at: T0 + 3 * D }); // fell back to email
  await delivery(4, 'reminder', { status: 'deferred', channel: 'sms', at: T0 + 3 * D, reason: 'quiet_hours', deferredUntil: T0 + 3 * D + 10 * H });
  await delivery(5, 'reminder', { status: 'outbox', channel: 'sms', at: T0 + 3 * D });
  const offer = Date.UTC(2025, 0, 17, 0, 0);
  await delivery(1, 'offer-a', { status: 'delivered', at: offer });
  await delivery(2, 'offer-b', { status: 'delivered', at: offer, opened: offer + H });
  await delivery(3, 'offer-a', { status: 'delivered', at: T0 + 4 * D });

  const log = (id: string, n: number, touchId: string, kind: 'deferred' | 'skipped', reason: string, when: number, until: number | null) => ({
    id, delivery_id: `dl_${touchId}_${n}`, enrollment_id: `en_${n}`, funnel_id: 'course', contact_id: `ct_${n}`, touch_id: touchId,
    channel: touchId === 'reminder' ? 'sms' : 'email', kind, reason, until, at: when,
  });
  await db.insertInto('touch_log').values([
    log('tl_1', 1, 'lesson-2', 'deferred', 'quiet_hours', deferredAt, deferredUntil),
    log('tl_2', 6, 'welcome', 'skipped', 'no_consent', at(6), null),
    log('tl_3', 4, 'reminder', 'deferred', 'quiet_hours', T0 + 3 * D, T0 + 3 * D + 10 * H),
  ]).execute();

  await db.insertInto('split_assignments').values([
    { enrollment_id: 'en_1', split_id: 'subject-test', variant_id: 'a', funnel_id: 'course', contact_id: 'ct_1', at: offer },
    { enrollment_id: 'en_2', split_id: 'subject-test', variant_id: 'b', funnel_id: 'course', contact_id: 'ct_2', at: offer },
    { enrollment_id: 'en_3', split_id: 'subject-test', variant_id: 'a', funnel_id: 'course', contact_id: 'ct_3', at: T0 + 4 * D },
  ]).execute();

  await db.insertInto('outbox').values([
    { id: 'ob_1', delivery_id: 'dl_welcome_5', channel: 'email', recipient: 'darya@example.ru', subject: 'Добро пожаловать', html: '<p>Урок 1</p><script>alert(1)</script>', text: 'Урок 1', created_at: at(5) },
    { id: 'ob_2', delivery_id: 'dl_reminder_5', channel: 'sms', recipient: '+79001234567', subject: null, html: null, text: 'Вы не открыли урок', created_at: T0 + 3 * D },
  ]).execute();

  await db.insertInto('events').values([
    { id: 'ev_1', contact_id: 'ct_1', name: 'lead.created', properties: '{}', value: null, idempotency_key: null, occurred_at: T0 - 1000, received_at: T0, dispatched_at: T0 },
    { id: 'ev_2', contact_id: 'ct_1', name: 'welcome.clicked', properties: '{}', value: null, idempotency_key: null, occurred_at: at(1) + 2 * H, received_at: at(1) + 2 * H, dispatched_at: at(1) + 2 * H },
    { id: 'ev_3', contact_id: 'ct_1', name: 'order.paid', properties: '{"order":"A-1"}', value: 1500, idempotency_key: null, occurred_at: converted.ct_1 ?? 0, received_at: converted.ct_1 ?? 0, dispatched_at: converted.ct_1 ?? 0 },
    { id: 'ev_4', contact_id: 'ct_2', name: 'order.paid', properties: '{}', value: 2000, idempotency_key: null, occurred_at: converted.ct_2 ?? 0, received_at: converted.ct_2 ?? 0, dispatched_at: converted.ct_2 ?? 0 },
  ]).execute();
  await db.insertInto('conversions').values([
    { id: 'cv_1', enrollment_id: 'en_1', funnel_id: 'course', contact_id: 'ct_1', event_id: 'ev_3', value: 1500, occurred_at: converted.ct_1 ?? 0 },
    { id: 'cv_2', enrollment_id: 'en_2', funnel_id: 'course', contact_id: 'ct_2', event_id: 'ev_4', value: 2000, occurred_at: converted.ct_2 ?? 0 },
  ]).execute();
  const credit = (cv: 'cv_1' | 'cv_2', model: string, touchId: string, n: number, revenue: number) => ({
    conversion_id: cv, model, delivery_id: `dl_${touchId}_${n}`, funnel_id: 'course', touch_id: touchId, credit: 1, revenue,
    occurred_at: (cv === 'cv_1' ? converted.ct_1 : converted.ct_2) ?? 0,
  });
  await db.insertInto('attributions').values([
    credit('cv_1', 'last_touch', 'offer-a', 1, 1500), credit('cv_2', 'last_touch', 'offer-b', 2, 2000),
    credit('cv_1', 'first_touch', 'welcome', 1, 1500), credit('cv_2', 'first_touch', 'welcome', 2, 2000),
  ]).execute();
}

/** A fresh migrated database (the run's: SQLite or PostgreSQL) holding the seed, and how to throw it away. */
export async function openSeededDb(): Promise<{ db: Db; close(): Promise<void> }> {
  const fresh = await freshDatabase();
  await seedDashboard(fresh.db);
  return fresh;
}
