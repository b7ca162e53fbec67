import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan, Step } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness, type Harness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { ingestEvent } from '../../src/engine/ingest-event';
import { storeFunnelVersions } from '../../src/db/funnels';
import { enrollmentWorkflowId } from '../../src/temporal/gateway';
import { planMigration } from '../../src/versions/plan-migration';
import { migrationProgressOf, startMigration } from '../../src/versions/start-migration';
import { versionsInFlight } from '../../src/versions/in-flight';
import { enrollmentDetail } from '../../src/http/api/views';
import { eventually } from '../helpers/ports';
import { funnelStatsFromRawTables } from '../../src/analytics/funnel-stats';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const mail = (id: string, subject: string): Step => ({ type: 'email', id, subject, text: `${subject}, {{ contact.name }}` });
const base = { entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, attributes: [], events: ['quiz.answered'] };

/** Version 1: a wait, a quiz with a timeout, an A/B split, a cool-down, a last email, a note, a farewell. */
const v1: Plan = { ...base, id: 'course', name: 'Курс', steps: [
  mail('welcome', 'Добро пожаловать'),
  { type: 'wait', id: 'pause', ms: 2 * D },
  mail('tips', 'Советы'),
  { type: 'waitFor', id: 'quiz', events: [{ name: 'quiz.answered' }], timeoutMs: 3 * D, then: [mail('right', 'Верно!')], else: [mail('nudge', 'Вы не ответили')] },
  { type: 'split', id: 'ab', variants: [
    { id: 'a', weight: 1, steps: [mail('offer-a', 'Скидка A')] },
    { id: 'b', weight: 1, steps: [mail('offer-b', 'Скидка B')] },
  ] },
  { type: 'wait', id: 'cool', ms: D },
  mail('final', 'Последний шанс'),
  mail('old-note', 'Заметка'),
  { type: 'branch', id: 'clicked', if: { kind: 'touch', touchId: 'welcome', status: 'clicked' }, then: [mail('vip', 'Для самых внимательных')], else: [] },
  { type: 'wait', id: 'after', ms: D },
  mail('bye', 'До встречи'),
] };

/** Version 2 rewords `final`, shortens `pause` to 1 day, replaces `cool` by `rest` (mapped), adds `bonus`, removes `old-note`. */
const v2: Plan = { ...v1, steps: [
  mail('welcome', 'Добро пожаловать'),
  { type: 'wait', id: 'pause', ms: D },
  mail('tips', 'Советы'),
  v1.steps[3]!,
  v1.steps[4]!,
  { type: 'wait', id: 'rest', ms: D },
  mail('final', 'Последний шанс: −30% до полуночи'),
  mail('bonus', 'Бонус: чек-лист'),
  v1.steps[8]!,
  { type: 'wait', id: 'after', ms: D },
  mail('bye', 'До встречи'),
] };

describe('migrating in-flight enrollments (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('moves one enrollment mid-wait, one in a waitFor and one past a split onto version 2, exactly as specified; a dry run changes nothing; a re-run moves nothing twice', async () => {
    const email = recordingEmail();
    await withHarness(env, [{ plan: v1, version: 'v1' }], email.channel, async (h: Harness) => {
      const t0 = h.deps.now();
      const at = (ms: number) => {
        const m = Math.round((ms - t0) / MIN);
        return `+${Math.floor(m / 1440)}d${Math.floor((m % 1440) / 60)}h${m % 60 ? `${m % 60}m` : ''}`;
      };
      const contact = async (name: string) => (await upsertContact(h.db, { email: `${name}@example.test`, name, consent: { email: true } }, 'test')).contact.id;
      const run = async (id: string) => (await enroll(h.deps, 'course', id)).enrollment.enrollmentId;

      // C enrolls at +0, answers the quiz at +2d1h and passes the split; B enrolls at +1d; A at +2d12h and clicks its welcome.
      const c = await contact('cora');
      const cEn = await run(c);
      await h.advance(D);
      const b = await contact('boris');
      const bEn = await run(b);
      await h.advance(D + H);
      await ingestEvent(h.deps, { contactId: c, name: 'quiz.answered' });
      await h.advance(11 * H);
      const a = await contact('anna');
      const aEn = await run(a);
      await h.advance(MIN);
      await ingestEvent(h.deps, { contactId: a, name: 'welcome.clicked' });
      await h.advance(12 * H + 29 * MIN); // +3d0h30m: A mid-pause, B in the quiz since +3d, C in the cool-down since +2d1h
      expect(await versionsInFlight(h.db, 'course', 'v1')).toEqual([{ version: 'v1', current: true, inFlight: 3, atStep: { pause: 1, quiz: 1, cool: 1 } }]);
      const cVariant = (await h.db.selectFrom('split_assignments').select('variant_id').where('enrollment_id', '=', cEn).executeTakeFirstOrThrow()).variant_id;

      const firstRuns = await Promise.all([a, b, c].map(async (id) => (await env.client.workflow.getHandle(enrollmentWorkflowId('course', id)).describe()).runId));
      await storeFunnelVersions(h.db, [{ plan: v2, version: 'v2' }]);
      h.deps.funnels.replace([{ plan: v2, version: 'v2' }]);

      // A dry run without the map: C's step was removed, so C would stay; with it C goes to `rest`. Nothing changes.
      const unmapped = await planMigration(h.deps, 'course', { from: 'v1', dryRun: true });
      expect(unmapped.steps.map((s) => `${s.stepId} ×${s.count} → ${s.to ?? `stays (${s.reason})`}${s.timing ? ` ${s.timing}` : ''}${s.timingChange ? ` ${s.timingChange}` : ''}`))
        .toEqual(['cool ×1 → stays (step_removed)', 'pause ×1 → pause retimed 2d → 1d', 'quiz ×1 → quiz kept']);
      const preview = await planMigration(h.deps, 'course', { from: 'v1', map: { cool: 'rest' }, dryRun: true });
      expect(preview).toMatchObject({ to: 'v2', versions: ['v1'], total: 3, move: 3, stay: 0, unknown: 0 });
      expect(preview.steps.find((s) => s.stepId === 'cool')).toMatchObject({ to: 'rest', outcome: 'move', timing: 'kept', mapped: true });
      expect(preview.diffs[0]!.diff).toMatchObject({
        added: [{ stepId: 'rest', type: 'wait' }, { stepId: 'bonus', type: 'email' }], removed: [{ stepId: 'cool', type: 'wait' }, { stepId: 'old-note', type: 'email' }],
        contentChanged: ['final'], timingChanged: [{ stepId: 'pause', from: '2d', to: '1d' }],
      });
      expect(await h.db.selectFrom('enrollment_migrations').selectAll().execute()).toEqual([]);
      expect((await h.db.selectFrom('enrollments').select('version').execute()).map((r) => r.version)).toEqual(['v1', 'v1', 'v1']);

      const started = await startMigration(h.deps, 'course', { from: 'v1', map: { cool: 'rest' } });
      expect(started).toMatchObject({ funnelId: 'course', from: 'v1', to: 'v2', status: 'running', total: 3 });
      await eventually(async () => (await migrationProgressOf(h.deps, 'course', started.id))!.moved === 3 || undefined, 'all three moved', 20_000);
      // Awaiting the migration's result would let the test server skip time; its progress is read from the database.
      const done = (id: string) => eventually(async () => (await migrationProgressOf(h.deps, 'course', id))!.status === 'done' || undefined, 'the migration done', 20_000);
      await done(started.id);
      expect(await migrationProgressOf(h.deps, 'course', started.id)).toMatchObject({ status: 'done', total: 3, asked: 3, moved: 3, stayed: 0, finished: 0, pending: 0 });
      const moves = await h.db.selectFrom('enrollment_migrations').select(['enrollment_id', 'from_version', 'to_version', 'from_step', 'to_step', 'outcome']).orderBy('from_step').execute();
      expect(moves).toEqual([
        { enrollment_id: cEn, from_version: 'v1', to_version: 'v2', from_step: 'cool', to_step: 'rest', outcome: 'moved' },
        { enrollment_id: aEn, from_version: 'v1', to_version: 'v2', from_step: 'pause', to_step: 'pause', outcome: 'moved' },
        { enrollment_id: bEn, from_version: 'v1', to_version: 'v2', from_step: 'quiz', to_step: 'quiz', outcome: 'moved' },
      ]);
      expect(await versionsInFlight(h.db, 'course', 'v2')).toEqual([{ version: 'v2', current: true, inFlight: 3, atStep: { pause: 1, quiz: 1, rest: 1 } }]);

      // Running it again moves nobody: everyone is on the target already.
      await expect(planMigration(h.deps, 'course', { from: 'all', map: {} })).resolves.toMatchObject({ total: 0, steps: [] });
      const again = await startMigration(h.deps, 'course', { from: 'all' });
      await done(again.id);
      expect(await migrationProgressOf(h.deps, 'course', again.id)).toMatchObject({ total: 0, asked: 0, moved: 0, status: 'done' });

      await h.advance(H); // +3d1h30m
      await ingestEvent(h.deps, { contactId: b, name: 'quiz.answered' });
      for (const id of [a, b, c]) await env.client.workflow.getHandle(enrollmentWorkflowId('course', id)).result();
      for (const [i, id] of [a, b, c].entries()) {
        const name = ['anna', 'boris', 'cora'][i]!;
        await recordHistory(env, enrollmentWorkflowId('course', id), `${name} on version 2`);
        await recordHistory(env, enrollmentWorkflowId('course', id), `${name} on version 1 until the migration`, firstRuns[i]);
      }

      const ledger = await h.db.selectFrom('deliveries').select(['contact_id', 'touch_id', 'scheduled_at', 'subject', 'variant']).orderBy('scheduled_at').orderBy('created_at').execute();
      const of = (id: string) => ledger.filter((r) => r.contact_id === id).map((r) => `${r.touch_id} ${at(r.scheduled_at)} ${r.subject}`);
      const offer = (v: string) => `offer-${v}`;
      // C: its cool-down kept its due time as `rest` (+3d1h), then the reworded final, the new bonus, no removed note.
      expect(of(c)).toEqual([
        'welcome +0d0h Добро пожаловать', 'tips +2d0h Советы', 'right +2d1h Верно!', `${offer(cVariant)} +2d1h Скидка ${cVariant.toUpperCase()}`,
        'final +3d1h Последний шанс: −30% до полуночи', 'bonus +3d1h Бонус: чек-лист', 'bye +4d1h До встречи',
      ]);
      // B: its quiz went on (answered after the move), then version 2 to the end.
      const bVariant = (await h.db.selectFrom('split_assignments').select('variant_id').where('enrollment_id', '=', bEn).executeTakeFirstOrThrow()).variant_id;
      expect(of(b)).toEqual([
        'welcome +1d0h Добро пожаловать', 'tips +3d0h Советы', 'right +3d1h30m Верно!', `${offer(bVariant)} +3d1h30m Скидка ${bVariant.toUpperCase()}`,
        'final +4d1h30m Последний шанс: −30% до полуночи', 'bonus +4d1h30m Бонус: чек-лист', 'bye +5d1h30m До встречи',
      ]);
      // A: the shortened pause re-timed from when it began (+2d12h + 1d), the quiz timed out; its click carried over (vip).
      const aVariant = (await h.db.selectFrom('split_assignments').select('variant_id').where('enrollment_id', '=', aEn).executeTakeFirstOrThrow()).variant_id;
      expect(of(a)).toEqual([
        'welcome +2d12h Добро пожаловать', 'tips +3d12h Советы', 'nudge +6d12h Вы не ответили', `${offer(aVariant)} +6d12h Скидка ${aVariant.toUpperCase()}`,
        'final +7d12h Последний шанс: −30% до полуночи', 'bonus +7d12h Бонус: чек-лист', 'vip +7d12h Для самых внимательных', 'bye +8d12h До встречи',
      ]);
      // C's split variant carried over: its touches after the move are recorded under the variant it took in version 1.
      expect(ledger.filter((r) => r.contact_id === c && ['final', 'bonus'].includes(r.touch_id)).map((r) => r.variant)).toEqual([`ab:${cVariant}`, `ab:${cVariant}`]);
      expect(email.sent.filter((m) => m.subject === 'Заметка')).toEqual([]);
      expect(email.sent.length).toBe(ledger.length);

      // Stats of one version: what was sent while enrollments were on it; touch ids continue, so the versions add up to all.
      const sentBy = async (version?: string) => Object.fromEntries((await funnelStatsFromRawTables(h.db, v2, { model: 'last_touch', version })).touches
        .map((t) => [t.touchId, t.sent + t.outbox]));
      const [all, one, two] = [await sentBy(), await sentBy('v1'), await sentBy('v2')];
      expect(one).toMatchObject({ welcome: 3, tips: 2, right: 1, final: 0, bonus: 0, bye: 0 });
      expect(two).toMatchObject({ welcome: 0, tips: 1, right: 1, nudge: 1, final: 3, bonus: 3, vip: 1, bye: 3 });
      for (const [touch, n] of Object.entries(all)) expect((one[touch] ?? 0) + (two[touch] ?? 0), touch).toBe(n);

      // The enrollment's timeline shows the move.
      const detail = await enrollmentDetail(h.deps, (await h.db.selectFrom('enrollments').selectAll().where('id', '=', cEn).executeTakeFirstOrThrow()));
      expect(detail.version).toBe('v2');
      expect(detail.timeline.filter((t) => t.type === 'migration')).toEqual([expect.objectContaining({
        type: 'migration', migrationId: started.id, fromVersion: 'v1', toVersion: 'v2', fromStep: 'cool', toStep: 'rest', outcome: 'moved',
      })]);
      expect(at(Date.parse(detail.timeline.find((t) => t.type === 'migration')!.at))).toBe('+3d0h30m');
    }, { temporal: env.client });
  }, 120_000);

  it('leaves an enrollment whose step was removed and not mapped on its version, lists it, and moves it with a later map; runs started with the whole plan in their input move too', async () => {
    const old: Plan = { ...base, id: 'legacy', name: 'Legacy', steps: [mail('hello', 'Привет'), { type: 'wait', id: 'hold', ms: D }, mail('later', 'Старый текст')] };
    const next: Plan = { ...old, steps: [mail('hello', 'Привет'), { type: 'wait', id: 'other', ms: 12 * H }, mail('later', 'Новый текст')] };
    const email = recordingEmail();
    await withHarness(env, [{ plan: old, version: 'v1' }], email.channel, async (h) => {
      const t0 = h.deps.now();
      const ids: string[] = [];
      const firstRuns: string[] = [];
      for (const name of ['xenia', 'yuri']) {
        const { contact } = await upsertContact(h.db, { email: `${name}@example.test`, consent: { email: true } }, 'test');
        const workflowId = enrollmentWorkflowId('legacy', contact.id);
        await h.db.insertInto('enrollments').values({
          id: `en_${name}`, funnel_id: 'legacy', contact_id: contact.id, version: 'v1', workflow_id: workflowId, status: 'active',
          current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: t0, finished_at: null, converted_at: null, workflow_started_at: t0,
        }).execute();
        // The input shape of runs started before lean versions: the whole plan.
        firstRuns.push((await env.client.workflow.start('enrollmentWorkflow', {
          workflowId, taskQueue: h.taskQueue, args: [{ enrollmentId: `en_${name}`, funnelId: 'legacy', contactId: contact.id, version: 'v1', plan: old, enrolledAt: t0, trigger: null }],
        })).firstExecutionRunId);
        ids.push(contact.id);
      }
      await h.advance(2 * H);
      await storeFunnelVersions(h.db, [{ plan: next, version: 'v2' }]);
      h.deps.funnels.replace([{ plan: next, version: 'v2' }]);

      await expect(planMigration(h.deps, 'legacy', { from: 'v9' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'funnel version "legacy@v9" not found' });
      await expect(planMigration(h.deps, 'legacy', { from: 'v1', map: { nowhere: 'other' } })).rejects.toMatchObject({ name: 'ValidationError', code: 'unknown_step' });
      await expect(planMigration(h.deps, 'legacy', { from: 'v1', map: { hold: 'missing' } })).rejects.toMatchObject({ name: 'ValidationError', code: 'unknown_step' });
      await expect(startMigration(h.deps, 'legacy', { from: 'v1', map: { hold: 'later' } })).rejects.toMatchObject({ name: 'ValidationError', code: 'step_type_mismatch' });
      await expect(startMigration(h.deps, 'legacy', { from: 'v2' })).rejects.toMatchObject({ name: 'ValidationError', code: 'same_version' });
      expect(await h.db.selectFrom('funnel_migrations').selectAll().execute()).toEqual([]);

      const done = (id: string) => eventually(async () => (await migrationProgressOf(h.deps, 'legacy', id))!.status === 'done' || undefined, 'the migration done', 20_000);
      const first = await startMigration(h.deps, 'legacy', { from: 'all' });
      await done(first.id);
      const stayed = await migrationProgressOf(h.deps, 'legacy', first.id);
      expect(stayed).toMatchObject({ moved: 0, stayed: 2, pending: 0 });
      expect(stayed!.stayedEnrollments.map((s) => `${s.enrollmentId} ${s.version} ${s.step} ${s.reason}`).sort()).toEqual(['en_xenia v1 hold step_removed', 'en_yuri v1 hold step_removed']);
      expect((await h.db.selectFrom('enrollments').select('version').execute()).map((r) => r.version)).toEqual(['v1', 'v1']);

      // A second migration with the map moves both (a new migration asks again those that stayed): `other` is 12 h, timed from when `hold` began.
      const second = await startMigration(h.deps, 'legacy', { from: 'v1', map: { hold: 'other' } });
      await done(second.id);
      expect(second.total).toBe(2);
      await h.advance(20 * H);
      for (const id of ids) await env.client.workflow.getHandle(enrollmentWorkflowId('legacy', id)).result();
      const rows = await h.db.selectFrom('deliveries').select(['contact_id', 'touch_id', 'subject', 'scheduled_at']).orderBy('scheduled_at').execute();
      expect(rows.map((r) => `${r.touch_id} ${r.subject} +${Math.round((r.scheduled_at - t0) / H)}h`)).toEqual([
        'hello Привет +0h', 'hello Привет +0h', 'later Новый текст +12h', 'later Новый текст +12h',
      ]);
      await recordHistory(env, enrollmentWorkflowId('legacy', ids[0]!), 'lean after the move');
      await recordHistory(env, enrollmentWorkflowId('legacy', ids[0]!), 'whole plan, stayed, then moved', firstRuns[0]);
    }, { temporal: env.client });
  }, 120_000);
});
