import {
  ActivityFailure, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Scalar } from '../src/dsl/plan';
import type { Activities } from '../src/activities/index';
import type { CarriedState, EnrollmentInput, EnrollmentOutcome, FunnelEvent, StepPosition } from './types';
import { evaluate, needsAttributes, propertiesMatch } from './conditions';
import { answerOf } from './answers';
import { pickWeighted } from './hash';
import { indexStepLists } from './step-lists';
import { currentStepQuery, enrollSignal, eventSignal, eventsSignal } from './signals';
import { parseTouchEvent } from './touch-events';
import { isReached } from './statuses';
import { skeletonOf, type SkeletonAsk, type SkeletonStep, type SkeletonTouch } from './skeleton';
import { nextStepId } from './positions';
import { enrollmentMigrations, type Here } from './migrate';
import { ENROLLMENT_PATCHES } from './patches';

// The send heartbeats: a worker killed mid-send is noticed after the heartbeat timeout, not the start-to-close one.
const touchActs = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15s',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 12 },
});
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// Noting the step costs one marker in the history, not an activity's six events.
const notes = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

// Short reads (the contact's zone, attributes, webinar session) run as local activities: in the worker, inside the
// workflow task, without a round trip through the Temporal server. Runs recorded before the patch keep the old ones.
const localActs = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
const LOCAL_LOOKUPS = 'local-lookups';
// A staff task's hand-off is tried for about ten minutes; then the wait for the logged touch goes on without it.
const taskActs = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});

// Webhook posts and team notifications: a receiver's 5xx, 429 or timeout is retried with backoff, then recorded as failed.
const handoffActs = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 8 },
});
/** Patch ids of the steps added by two-way funnels (old runs never reach them; the markers keep replays exact). */
const ASK_STEP = 'ask-step';
const FUNNEL_ACTIONS = 'funnel-actions';
/** Patch id of waits for a date the contact or an event carries (`waitUntil({ date })`). */
const WAIT_UNTIL_DATE = 'wait-until-date';
/** Patch id of funnel-level event subscriptions (`on`): their steps run when the event arrives, at any point. */
const FUNNEL_EVENTS = 'funnel-events';

const MAX_BUFFER = 500;
/** A webinar moment that passed less than this long ago still counts as on time (a send or a busy worker in between). */
const LATE_GRACE_MS = 5 * 60_000;

function scalars(props: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(props)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

/**
 * One enrollment: interprets the pinned lean plan step by step, reacting to signalled events, until the plan ends, an
 * exit step, or the goal. A migration request moves it, at its next safe point (a wait, or between steps), onto the
 * migration's version at the same step id (or the mapped one), carrying everything it has seen.
 */
export async function enrollmentWorkflow(input: EnrollmentInput): Promise<EnrollmentOutcome> {
  /** Whether the run takes a patched path: by its input when it was started with the patch list, else by its history. */
  const has = (patchId: string): boolean => input.patches?.includes(patchId) === true || patched(patchId);
  /** The activities for the short reads: local ones, unless replaying a run recorded before `local-lookups`. */
  const lookups = () => (has(LOCAL_LOOKUPS) ? localActs : acts);
  const plan = input.skeleton ?? skeletonOf(input.plan!);
  const lists = indexStepLists(plan.steps);
  const { touchIds } = lists;
  for (const p of plan.pageIds ?? []) touchIds.add(p);
  const st: CarriedState = input.carried ?? { frames: [{ list: 'root', index: 0 }], pending: [], seen: [], touches: {}, converted: false };
  const variants = (st.variants ??= {});
  const moves = (st.webinarMoves ??= {});
  let exitReason: string | null = null;
  let position: StepPosition = { stepId: null, state: 'running' };
  let noted: string | null = st.resume?.stepId ?? null;

  const markTouch = (touchId: string, status: string) => {
    const list = (st.touches[touchId] ??= []);
    if (!list.includes(status)) list.push(status);
  };
  const recent = (st.recent ??= []);
  const subscriptions = plan.on ?? [];
  const reactions = subscriptions.length > 0 ? (st.reactions ??= []) : [];
  const fired = subscriptions.length > 0 ? (st.fired ??= []) : [];
  const absorb = (ev: FunnelEvent, buffer: boolean) => {
    if (recent.includes(ev.id)) {
      // Dispatch is at-least-once (a crash or an outage makes the server redo it); the conversion flag may be news.
      if (ev.conversion && !st.converted) {
        st.converted = true;
        if (plan.goal.exit) exitReason ??= 'goal';
      }
      return;
    }
    recent.push(ev.id);
    if (recent.length > MAX_BUFFER) recent.shift();
    st.seen.push({ name: ev.name, properties: scalars(ev.properties) });
    if (st.seen.length > MAX_BUFFER) st.seen.shift();
    const touch = parseTouchEvent(ev.name);
    if (touch && touchIds.has(touch.touchId)) markTouch(touch.touchId, touch.suffix);
    // A subscription fires on the first event of its name that reaches the enrollment after it started.
    if (buffer && subscriptions.some((s) => s.event === ev.name) && !fired.includes(ev.name) && !reactions.some((r) => r.event === ev.name)) {
      reactions.push({ event: ev.name, eventId: ev.id });
    }
    if (buffer) {
      st.pending.push(ev);
      if (st.pending.length > MAX_BUFFER) st.pending.shift();
    }
    if (ev.name === 'webinar.moved' && typeof ev.properties.webinarId === 'string') {
      moves[ev.properties.webinarId] = (moves[ev.properties.webinarId] ?? 0) + 1;
    }
    if (ev.conversion) {
      st.converted = true;
      if (plan.goal.exit) exitReason ??= 'goal';
    }
  };

  setHandler(eventSignal, (ev) => absorb(ev, true));
  setHandler(eventsSignal, (evs) => { for (const ev of evs) absorb(ev, true); });
  setHandler(currentStepQuery, () => position);
  setHandler(enrollSignal, () => undefined);
  if (!input.carried && input.trigger) absorb(input.trigger, false);

  /** The input of the next run: lean (a run started before lean versions drops its whole plan here). */
  const nextInput = (change: Partial<EnrollmentInput>): EnrollmentInput => {
    const { plan: _whole, ...rest } = input;
    // The next run is a new run: every patched path is its path, decided by its input (workflows/patches.ts).
    return { ...rest, skeleton: plan, carried: st, patches: [...ENROLLMENT_PATCHES], ...change };
  };
  const migrations = enrollmentMigrations({ input, plan, st, nextInput });

  /**
   * Rests until `ms` from now or until `done()` (or the exit); a migration asked for meanwhile is tried at `here`, and
   * when the enrollment stays it rests on until the same moment. True when it woke for `done()` or the exit.
   */
  const rest = async (ms: number, here: Here, done: () => boolean = () => false): Promise<boolean> => {
    if (ms <= 0) return exitReason !== null || done();
    const until = Date.now() + ms;
    for (;;) {
      const woke = await condition(() => exitReason !== null || done() || migrations.pending() || reactions.length > 0, Math.max(until - Date.now(), 1));
      if (!woke) return false;
      if (reactions.length > 0) await react();
      if (exitReason !== null || done()) return true;
      if (migrations.pending()) await migrations.tryAt(here);
      if (Date.now() >= until) return false;
    }
  };

  /**
   * Runs the steps of the subscriptions whose events arrived (in arrival order), where the enrollment is: a webhook
   * (its payload carries the event), a team notification, an attribute, or an exit that ends the enrollment.
   */
  async function react(): Promise<void> {
    while (reactions.length > 0 && exitReason === null) {
      const r = reactions.shift()!;
      fired.push(r.event);
      if (!has(FUNNEL_EVENTS)) continue;
      for (const step of subscriptions.find((s) => s.event === r.event)?.steps ?? []) {
        if (exitReason !== null) return;
        const ref = { enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, version: input.version, stepId: step.id, at: Date.now(), eventId: r.eventId };
        if (step.type === 'exit') exitReason = `exit:${step.id}`;
        else if (step.type === 'setAttribute') await acts.setAttribute({ contactId: input.contactId, key: step.key, value: step.value, at: ref.at });
        else if (step.type === 'webhook' || step.type === 'notify') await handOff(step.type, ref);
      }
    }
  }

  type HandOffRef = Parameters<Activities['postWebhook']>[0];
  /** Posts a webhook step or tells the team; when the retries ran out, the webhook's ledger row says so (a notification that never went is left to the log). */
  const handOff = async (type: 'webhook' | 'notify', ref: HandOffRef): Promise<void> => {
    try {
      if (type === 'webhook') await handoffActs.postWebhook(ref);
      else await handoffActs.notifyTeam(ref);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      if (type === 'webhook') await acts.markTouchFailed({ enrollmentId: input.enrollmentId, touchId: ref.stepId, reason: err.cause?.message ?? err.message });
    }
  };

  /** Records where the enrollment rests (for counts per step and migration previews), once per step. */
  const note = async (stepId: string, since: number): Promise<void> => {
    if (noted === stepId || !has('note-step')) return;
    noted = stepId;
    await notes.noteStep({ enrollmentId: input.enrollmentId, stepId, since });
  };

  /** When the step began: now, or for the step a migration resumed at, when its wait began in the old version. */
  const begun = (stepId: string): { since: number; resumed: boolean } => {
    const r = st.resume;
    delete st.resume;
    return r?.stepId === stepId && r.since !== null ? { since: r.since, resumed: true } : { since: Date.now(), resumed: false };
  };

  /** Sends a touch; a deferral (send window, frequency cap) sleeps until the given moment and asks again. */
  const sendWithDeferrals = async (touch: Pick<SkeletonTouch, 'id'>): Promise<void> => {
    position = { stepId: touch.id, state: 'sending' };
    const scheduledAt = Date.now();
    const variant = Object.entries(variants).map(([k, v]) => `${k}:${v}`).join(',') || undefined;
    // After a webinar wait the contact reached too late, the touches up to the next wait are recorded as skipped.
    const skip = st.late ? 'too_late' as const : undefined;
    try {
      for (;;) {
        const result = await touchActs.sendTouch({
          enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, version: input.version, touchId: touch.id,
          scheduledAt, now: Date.now(), ...(variant && { variant }), ...(skip && { skip }),
        });
        if (result.status === 'deferred' && result.until !== undefined) {
          position = { stepId: touch.id, state: 'waiting' };
          await note(touch.id, scheduledAt);
          await rest(Math.max(result.until - Date.now(), 1), { stepId: touch.id, since: scheduledAt });
          if (exitReason !== null) return;
          position = { stepId: touch.id, state: 'sending' };
          continue;
        }
        if (result.status === 'failed') markTouch(touch.id, 'failed');
        else if (isReached(result.status)) markTouch(touch.id, 'delivered');
        // Nobody can reach the contact any more (every channel withdrawn or suppressed): it leaves instead of collecting skips.
        if (result.status === 'skipped' && result.reason === 'unreachable' && has('exit-unreachable')) exitReason ??= 'unreachable';
        return;
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await acts.markTouchFailed({ enrollmentId: input.enrollmentId, touchId: touch.id, reason: err.cause?.message ?? err.message });
      markTouch(touch.id, 'failed');
    }
  };

  type WaitUntil = Extract<SkeletonStep, { type: 'waitUntil' }>;
  /**
   * Whether the touches after a webinar wait the contact reached `delay` ms after its moment (delay < 0) are skipped:
   * always with `late: 'skip'` (the default); with `late: 'send'` only when a later wait on the same webinar in the same
   * list (`rest`) has passed as well, so of a burst of passed reminders at most the latest goes out.
   */
  const isTooLate = (step: WaitUntil, delay: number, after: SkeletonStep[]): boolean => {
    if (step.late !== 'send') return true;
    const offset = step.offsetMs ?? 0;
    return after.some((s) => s.type === 'waitUntil' && s.webinar === step.webinar && delay - offset + (s.offsetMs ?? 0) < -LATE_GRACE_MS);
  };

  /** Waits for the contact's webinar session plus the offset; a `webinar.moved` event makes it ask again, so reminders follow the start. */
  const waitForWebinar = async (step: WaitUntil, webinarId: string, after: SkeletonStep[], here: Here, resumed: boolean): Promise<void> => {
    for (let first = !resumed; ; first = false) {
      const seenMoves = moves[webinarId] ?? 0;
      const delay = await lookups().webinarDelay({
        contactId: input.contactId, webinarId, offsetMs: step.offsetMs ?? 0, fallbackTimezone: plan.timezone, now: Date.now(),
      });
      if (delay === null) return;
      if (delay <= 0) {
        // A moment already gone when the contact got here (a late sign-up), not one the wait reached or a move brought forward.
        if (first && delay < -LATE_GRACE_MS && has('late-webinar-reminders')) st.late = isTooLate(step, delay, after);
        return;
      }
      const moved = () => (moves[webinarId] ?? 0) !== seenMoves;
      await rest(delay, here, moved);
      if (exitReason !== null || !moved()) return;
    }
  };

  /**
   * Waits for the moment a date wait reads (a contact attribute, or the latest event carrying the property). On time
   * (or less than the grace late) it goes on; a missing or past date takes `else` instead of the rest of the list when
   * the step declares it, else skips the touches up to the next wait `too_late` (a past one is sent with `late: 'send'`).
   */
  const waitForDate = async (step: WaitUntil & { date: string }, after: SkeletonStep[], here: Here, since: number, resumed: boolean): Promise<void> => {
    const property = /^event\.properties\.(.+)$/.exec(step.date)?.[1];
    const carrier = property === undefined ? undefined : [...st.seen].reverse().find((e) => e.properties[property] !== undefined);
    const delay = await lookups().dateDelay({
      contactId: input.contactId, date: step.date, ...(carrier && property !== undefined && { value: carrier.properties[property] }),
      offsetMs: step.offsetMs ?? 0, ...(step.time !== undefined && { time: step.time }), fallbackTimezone: plan.timezone, now: since,
    });
    if (delay !== null && delay >= -LATE_GRACE_MS) {
      const left = resumed ? since + delay - Date.now() : delay;
      if (left > 0) await rest(left, here);
      return;
    }
    if (delay !== null && step.late === 'send') return;
    if (step.else !== undefined) {
      // The declared branch replaces what followed the wait in its list.
      st.frames[st.frames.length - 1]!.index += after.length;
      st.frames.push({ list: `${step.id}.else`, index: 0 });
      return;
    }
    st.late = true;
  };

  /** Runs one step; `after` is what follows it in its list. */
  const runStep = async (step: SkeletonStep, after: SkeletonStep[]): Promise<void> => {
    const { since, resumed } = begun(step.id);
    const here = { stepId: step.id, since };
    // Every wait ends what a late webinar wait skipped.
    if (st.late && (step.type === 'wait' || step.type === 'waitUntil' || step.type === 'waitFor' || step.type === 'task')) delete st.late;
    switch (step.type) {
      case 'email':
      case 'sms':
      case 'telegram':
      case 'vk':
      case 'webinarInvite':
      // New in issue 14: no pinned plan before it holds a push step, so no run replays through this case.
      case 'push':
        return sendWithDeferrals(step);
      case 'wait':
        position = { stepId: step.id, state: 'waiting' };
        await note(step.id, since);
        // A migrated wait is timed from when it began: it keeps its due time, or is re-timed when its duration changed.
        await rest(resumed ? since + step.ms - Date.now() : step.ms, here);
        return;
      case 'waitUntil': {
        position = { stepId: step.id, state: 'waiting' };
        await note(step.id, since);
        if (step.webinar !== undefined) return waitForWebinar(step, step.webinar, after, here, resumed);
        if (step.date !== undefined && has(WAIT_UNTIL_DATE)) return waitForDate({ ...step, date: step.date }, after, here, since, resumed);
        const delay = await lookups().localDelay({
          contactId: input.contactId, fallbackTimezone: plan.timezone, time: step.time, weekdays: step.weekdays, now: since,
        });
        const left = resumed ? since + delay - Date.now() : delay;
        if (left > 0) await rest(left, here);
        return;
      }
      case 'waitFor': {
        position = { stepId: step.id, state: 'waiting' };
        await note(step.id, since);
        const find = () => st.pending.findIndex((e) => step.events.some((f) => f.name === e.name && propertiesMatch(f.where, e.properties)));
        await rest(resumed ? since + step.timeoutMs - Date.now() : step.timeoutMs, here, () => find() >= 0);
        if (exitReason !== null) return;
        const i = find();
        if (i >= 0) st.pending.splice(i, 1);
        st.frames.push({ list: `${step.id}.${i >= 0 ? 'then' : 'else'}`, index: 0 });
        return;
      }
      case 'task': {
        position = { stepId: step.id, state: 'waiting' };
        await note(step.id, since);
        // A task is handed off when the step begins; a migration resuming the step waits on without asking again.
        if (!resumed && has('staff-task')) {
          try {
            await taskActs.createStaffTask({
              enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, taskId: step.id,
              kind: step.kind, title: step.title, assignee: step.assignee, dueAt: since + step.timeoutMs,
            });
          } catch (err) {
            if (!(err instanceof ActivityFailure)) throw err; // the hand-off is down: the staff can still log the touch
          }
        }
        const name = `staff.${step.kind}`;
        const find = () => st.pending.findIndex((e) => e.name === name);
        await rest(since + step.timeoutMs - Date.now(), here, () => find() >= 0);
        if (exitReason !== null) return;
        const i = find();
        if (i >= 0) st.pending.splice(i, 1);
        st.frames.push({ list: `${step.id}.${i >= 0 ? 'then' : 'else'}`, index: 0 });
        return;
      }
      case 'branch': {
        const attributes = needsAttributes(step.if) ? await lookups().contactFacts({ contactId: input.contactId }) : {};
        const yes = evaluate(step.if, { attributes, seen: st.seen, touches: st.touches, answer: st.answer, quizScore: st.quiz });
        st.frames.push({ list: `${step.id}.${yes ? 'then' : 'else'}`, index: 0 });
        return;
      }
      case 'split': {
        const forced = input.forcedVariants?.[step.id];
        const variant = step.variants.find((v) => forced !== undefined && v.id === forced) ?? pickWeighted(`${input.contactId}:${step.id}`, step.variants);
        variants[step.id] = variant.id;
        if (has('record-split')) {
          await acts.recordSplit({ enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, splitId: step.id, variantId: variant.id, at: Date.now() });
        }
        st.frames.push({ list: `${step.id}.${variant.id}`, index: 0 });
        return;
      }
      case 'exit':
        exitReason = `exit:${step.id}`;
        return;
      case 'ask':
        if (!has(ASK_STEP)) return;
        return runAsk(step, since, here, resumed);
      case 'setAttribute':
        if (!has(FUNNEL_ACTIONS)) return;
        await acts.setAttribute({ contactId: input.contactId, key: step.key, value: step.value, at: Date.now() });
        return;
      case 'webhook':
      case 'notify': {
        if (!has(FUNNEL_ACTIONS)) return;
        position = { stepId: step.id, state: 'sending' };
        await handOff(step.type, { enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, version: input.version, stepId: step.id, at: Date.now() });
        return;
      }
    }
  };

  /**
   * An ask: sends the question, waits for an answer it accepts (or the timeout), records it (attribute, answer row,
   * `<id>.answered`), adds a quiz option's score to the running score, then goes down the option's own steps, or
   * `then`/`else` on the ask's condition (`then` without one); `timeout` when no answer came or the question never went.
   */
  const runAsk = async (step: SkeletonAsk, since: number, here: Here, resumed: boolean): Promise<void> => {
    await sendWithDeferrals(step);
    if (exitReason !== null) return;
    const go = (arm: string) => { st.frames.push({ list: `${step.id}.${arm}`, index: 0 }); };
    if (!(st.touches[step.id] ?? []).includes('delivered')) return go('timeout');
    position = { stepId: step.id, state: 'waiting' };
    await note(step.id, since);
    const find = () => {
      for (let i = 0; i < st.pending.length; i += 1) {
        const found = answerOf(step, st.pending[i]!);
        if (found) return { i, found };
      }
      return null;
    };
    await rest(resumed ? since + step.timeoutMs - Date.now() : step.timeoutMs, here, () => find() !== null);
    if (exitReason !== null) return;
    const hit = find();
    if (!hit) return go('timeout');
    st.pending.splice(hit.i, 1);
    const { kind, answer, option } = hit.found;
    st.answer = answer;
    const counts = kind === 'option' && step.quiz !== false && answer.score !== null;
    await acts.recordAnswer({
      enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId, version: input.version, stepId: step.id,
      at: Date.now(), kind, value: answer.value, score: answer.score, saveAs: step.saveAs, quiz: counts, commentOf: step.commentOf,
    });
    if (counts) st.quiz = (st.quiz ?? 0) + answer.score!;
    if (option?.steps !== undefined) return go(option.id);
    if (step.if === undefined) return go('then');
    const attributes = needsAttributes(step.if) ? await lookups().contactFacts({ contactId: input.contactId }) : {};
    return go(evaluate(step.if, { attributes, seen: st.seen, touches: st.touches, answer, quizScore: st.quiz }) ? 'then' : 'else');
  };

  while (st.frames.length > 0 && exitReason === null) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (input.continueAsNewAfter !== undefined && info.historyLength >= input.continueAsNewAfter)) {
      await continueAsNew<typeof enrollmentWorkflow>(nextInput({}));
    }
    // Events a subscription reacts to that came during a send (or before the first step) are handled between steps.
    if (reactions.length > 0) await react();
    if (exitReason !== null) break;
    // A migration asked for during a send moves the enrollment before its next step.
    if (migrations.pending()) await migrations.tryAt({ stepId: nextStepId(st.frames, lists.byKey), since: null });
    const frame = st.frames[st.frames.length - 1]!;
    const list = lists.byKey.get(frame.list) ?? [];
    if (frame.index >= list.length) {
      st.frames.pop();
      continue;
    }
    const step = list[frame.index]!;
    frame.index += 1;
    position = { stepId: step.id, state: 'running' };
    await runStep(step, list.slice(frame.index));
  }

  // A migration that found the enrollment ending is answered, so the migration knows it is done with it.
  await migrations.tryAt({ stepId: null, since: null });
  const outcome: EnrollmentOutcome = { status: st.converted ? 'converted' : 'exited', reason: exitReason ?? 'completed' };
  position = { stepId: null, state: 'finished' };
  await acts.finishEnrollment({ enrollmentId: input.enrollmentId, ...outcome, at: Date.now() });
  return outcome;
}
