import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@temporalio/client';
import type { EngineDeps } from '../engine/deps';
import type { Plan } from '../dsl/plan';
import type { SendTouchInput, TouchRef, TouchResult } from '../activities/send-touch';
import { findTouch } from '../activities/touch-ref';
import type { ActivityDeps } from '../activities/index';
import type { SimPersona } from './personas';
import { createActivities } from '../activities/index';
import { findContact } from '../db/contacts';
import { findWebinar, sessionFor } from '../webinars/webinar-rows';
import { enrollmentEndedSignal, touchReachedSignal, type TouchReached } from '../../workflows/persona-driver';
import { applyPersonaAction } from './persona-actions';

/** One action a persona did (or tried to), as the output reports it. */
export interface ActionRecord {
  persona: number;
  action: number;
  event: string;
  at: number;
  /** The enrollment's step at that moment. */
  step: string | null;
  touchId?: string;
  error?: string;
}

/** A persona while the simulation runs: who it is, its contact and its workflows. */
export interface RunningPersona {
  persona: SimPersona;
  contactId: string;
  driverId: string;
  enrollmentWorkflowId: string;
}

/** What the simulation's activities share with the run. */
export interface SimulationContext {
  plan: Plan;
  deps: EngineDeps & { secretKey: string; publicUrl: string };
  client: Client;
  personas: RunningPersona[];
  actions: ActionRecord[];
}

const REACHED = new Set(['sent', 'delivered', 'outbox']);
const virtualNow = new AsyncLocalStorage<number>();

/** The engine clock inside simulation activities: the workflow time the activity was called with; `fallback` elsewhere. */
export function simulationClock(fallback: () => number): () => number {
  return () => virtualNow.getStore() ?? fallback();
}

/**
 * The real activities (`createActivities`) plus what the simulator needs: a sent touch and a finished enrollment are
 * reported to the persona's driver from inside the activity, so virtual time cannot skip past them; and
 * `performPersonaAction` does one thing a persona does. Everything runs on the simulation's own database.
 */
export function createSimulationActivities(ctx: SimulationContext, deps: ActivityDeps) {
  const base = createActivities(deps);
  const { db } = deps;
  const byContact = (contactId: string) => ctx.personas.find((p) => p.contactId === contactId);
  // A driver that has already finished has nothing left to do with the news.
  const tell = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  };

  const reportReached = async (input: SendTouchInput | TouchRef, result: TouchResult) => {
    const running = byContact(input.contactId);
    const touch = 'touch' in input ? input.touch : findTouch(ctx.plan, input.touchId);
    if (!running || !touch || !REACHED.has(result.status)) return;
    const row = await db.selectFrom('deliveries').select(['sent_at', 'scheduled_at']).where('id', '=', result.deliveryId).executeTakeFirstOrThrow();
    const reached: TouchReached = {
      touchId: touch.id, channel: result.channel ?? touch.type, deliveryId: result.deliveryId, at: row.sent_at ?? row.scheduled_at,
    };
    if (touch.type === 'webinarInvite') {
      const [webinar, session] = await Promise.all([findWebinar(db, touch.webinar), sessionFor(db, touch.webinar, input.contactId)]);
      if (webinar && session) Object.assign(reached, { webinarId: webinar.id, sessionEndsAt: session.starts_at + webinar.duration_ms });
    }
    await tell(() => ctx.client.workflow.getHandle(running.driverId).signal(touchReachedSignal, reached));
  };

  return {
    ...base,
    sendTouch: (input: SendTouchInput | TouchRef) => virtualNow.run(Math.max(input.now ?? input.scheduledAt, input.scheduledAt), async () => {
      const result = await base.sendTouch(input);
      await reportReached(input, result);
      return result;
    }),

    finishEnrollment: (input: Parameters<typeof base.finishEnrollment>[0]) => virtualNow.run(input.at, async () => {
      await base.finishEnrollment(input);
      const row = await db.selectFrom('enrollments').select('contact_id').where('id', '=', input.enrollmentId).executeTakeFirst();
      const running = row && byContact(row.contact_id);
      if (running) await tell(() => ctx.client.workflow.getHandle(running.driverId).signal(enrollmentEndedSignal, { at: input.at }));
    }),

    /** Does one action of a persona at workflow time `now`; a failure is recorded for the output, not retried. */
    performPersonaAction: (input: { persona: number; action: number; trigger: TouchReached | null; now: number }) => virtualNow.run(input.now, async () => {
      const running = ctx.personas[input.persona]!;
      const action = running.persona.actions.find((a) => a.index === input.action)!;
      const channel = input.trigger?.channel;
      // A wildcard "open every email" does not apply to an SMS or a Telegram message.
      if (action.touchEvent === 'opened' && channel !== 'email') return;
      const event = action.touchEvent && input.trigger ? `${input.trigger.touchId}.${action.touchEvent}` : action.event;
      const position = await ctx.deps.gateway.currentStep(running.enrollmentWorkflowId);
      const record: ActionRecord = {
        persona: input.persona, action: input.action, event, at: input.now, step: position?.stepId ?? null,
        ...(input.trigger && { touchId: input.trigger.touchId }),
      };
      ctx.actions.push(record);
      const contact = await findContact(db, { contactId: running.contactId });
      try {
        if (!contact) throw new Error('the contact is gone');
        await applyPersonaAction(ctx.deps, ctx.plan, {
          contact, event, properties: action.properties, value: action.value, trigger: input.trigger, now: input.now,
          key: `simulate:${input.persona}:${input.action}:${input.trigger?.touchId ?? ''}`,
        });
      } catch (err) {
        record.error = (err as Error).message;
      }
    }),
  };
}

/** The activities a simulation worker registers (the persona driver proxies them). */
export type SimulationActivities = ReturnType<typeof createSimulationActivities>;
