import {
  ActivityFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Scalar, Step } from '../src/dsl/plan';
import type { Activities } from '../src/activities/index';
import type { CarriedState, EnrollmentInput, EnrollmentOutcome, FunnelEvent, StepPosition } from './types';
import { evaluate, needsAttributes, propertiesMatch } from './conditions';
import { pickWeighted } from './hash';
import { indexStepLists } from './step-lists';
import { currentStepQuery, enrollSignal, eventSignal } from './signals';

const touchActs = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 12 },
});
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

const MAX_BUFFER = 500;
const TOUCH_EVENT = /^(.+)\.(delivered|opened|clicked|replied|failed)$/;

function scalars(props: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(props)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

/** One enrollment: interprets the pinned plan step by step, reacting to signalled events, until the plan ends, an exit step, or the goal. */
export async function enrollmentWorkflow(input: EnrollmentInput): Promise<EnrollmentOutcome> {
  const { plan } = input;
  const lists = indexStepLists(plan.steps);
  const { touchIds } = lists;
  const st: CarriedState = input.carried ?? { frames: [{ list: 'root', index: 0 }], pending: [], seen: [], touches: {}, converted: false };
  let exitReason: string | null = null;
  let position: StepPosition = { stepId: null, state: 'running' };

  const markTouch = (touchId: string, status: string) => {
    const list = (st.touches[touchId] ??= []);
    if (!list.includes(status)) list.push(status);
  };
  const recent = (st.recent ??= []);
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
    const m = TOUCH_EVENT.exec(ev.name);
    if (m && touchIds.has(m[1]!)) markTouch(m[1]!, m[2]!);
    if (buffer) {
      st.pending.push(ev);
      if (st.pending.length > MAX_BUFFER) st.pending.shift();
    }
    if (ev.conversion) {
      st.converted = true;
      if (plan.goal.exit) exitReason ??= 'goal';
    }
  };

  setHandler(eventSignal, (ev) => absorb(ev, true));
  setHandler(currentStepQuery, () => position);
  setHandler(enrollSignal, () => undefined);
  if (!input.carried && input.trigger) absorb(input.trigger, false);

  const pause = (ms: number) => condition(() => exitReason !== null, ms);

  const runStep = async (step: Step): Promise<void> => {
    switch (step.type) {
      case 'email': {
        position = { stepId: step.id, state: 'sending' };
        try {
          const result = await touchActs.sendTouch({
            enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId: input.contactId,
            funnelName: plan.name, touch: step, trigger: input.trigger, scheduledAt: Date.now(),
          });
          if (result.status === 'failed') markTouch(step.id, 'failed');
          else if (result.status !== 'skipped') markTouch(step.id, 'delivered');
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          await acts.markTouchFailed({ enrollmentId: input.enrollmentId, touchId: step.id, reason: err.cause?.message ?? err.message });
          markTouch(step.id, 'failed');
        }
        return;
      }
      case 'wait':
        position = { stepId: step.id, state: 'waiting' };
        await pause(step.ms);
        return;
      case 'waitUntil': {
        position = { stepId: step.id, state: 'waiting' };
        const delay = await acts.localDelay({
          contactId: input.contactId, fallbackTimezone: plan.timezone, time: step.time, weekdays: step.weekdays, now: Date.now(),
        });
        if (delay > 0) await pause(delay);
        return;
      }
      case 'waitFor': {
        position = { stepId: step.id, state: 'waiting' };
        const find = () => st.pending.findIndex((e) => step.events.some((f) => f.name === e.name && propertiesMatch(f.where, e.properties)));
        await condition(() => exitReason !== null || find() >= 0, step.timeoutMs);
        if (exitReason !== null) return;
        const i = find();
        if (i >= 0) st.pending.splice(i, 1);
        st.frames.push({ list: `${step.id}.${i >= 0 ? 'then' : 'else'}`, index: 0 });
        return;
      }
      case 'branch': {
        const attributes = needsAttributes(step.if) ? await acts.contactFacts({ contactId: input.contactId }) : {};
        const yes = evaluate(step.if, { attributes, seen: st.seen, touches: st.touches });
        st.frames.push({ list: `${step.id}.${yes ? 'then' : 'else'}`, index: 0 });
        return;
      }
      case 'split': {
        const variant = pickWeighted(`${input.contactId}:${step.id}`, step.variants);
        st.frames.push({ list: `${step.id}.${variant.id}`, index: 0 });
        return;
      }
      case 'exit':
        exitReason = `exit:${step.id}`;
        return;
    }
  };

  while (st.frames.length > 0 && exitReason === null) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (input.continueAsNewAfter !== undefined && info.historyLength >= input.continueAsNewAfter)) {
      await continueAsNew<typeof enrollmentWorkflow>({ ...input, carried: st });
    }
    const frame = st.frames[st.frames.length - 1]!;
    const list = lists.byKey.get(frame.list) ?? [];
    if (frame.index >= list.length) {
      st.frames.pop();
      continue;
    }
    const step = list[frame.index]!;
    frame.index += 1;
    position = { stepId: step.id, state: 'running' };
    await runStep(step);
  }

  const outcome: EnrollmentOutcome = { status: st.converted ? 'converted' : 'exited', reason: exitReason ?? 'completed' };
  position = { stepId: null, state: 'finished' };
  await acts.finishEnrollment({ enrollmentId: input.enrollmentId, ...outcome, at: Date.now() });
  return outcome;
}
