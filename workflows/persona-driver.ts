import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SimulationActivities } from '../src/simulate/sim-activities';

/** What a persona action waits for: the enrollment, one touch, the first touch, every touch, or a webinar session's end. */
export type ActionAnchor = 'enrollment' | 'touch' | 'first-touch' | 'each-touch' | 'session-end';

/** One scheduled thing a simulated persona does, `delayMs` after its anchor. */
export interface DriverAction {
  /** Position in the persona's list; the activity looks the action up by it. */
  index: number;
  anchor: ActionAnchor;
  /** For `touch`: the touch id it follows. */
  touchId?: string;
  delayMs: number;
}

/** A touch reached the persona (sent or in the outbox), as the simulator's sendTouch wrapper reports it. */
export interface TouchReached {
  touchId: string;
  channel: string;
  deliveryId: string;
  at: number;
  /** For a webinar invite: the webinar and when the persona's session ends. */
  webinarId?: string;
  sessionEndsAt?: number;
}

/** The input of one persona's driver. */
export interface PersonaDriverInput {
  persona: number;
  enrolledAt: number;
  actions: DriverAction[];
}

/** What the driver did not get to: actions still due when the enrollment ended. */
export interface PersonaDriverResult {
  pending: Array<{ index: number; at: number; touchId?: string }>;
}

/** A touch reached the persona. */
export const touchReachedSignal = defineSignal<[TouchReached]>('personaTouchReached');

/** The persona's enrollment has finished: nothing more will happen to it. */
export const enrollmentEndedSignal = defineSignal<[{ at: number }]>('personaEnrollmentEnded');

const acts = proxyActivities<SimulationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

/**
 * Plays one simulated persona in virtual time: every action fires on a workflow timer at its anchor plus its delay,
 * so time skipping stops at each one; nothing fires after the enrollment ended. Simulation only.
 */
export async function personaDriverWorkflow(input: PersonaDriverInput): Promise<PersonaDriverResult> {
  type Due = { at: number; seq: number; action: DriverAction; trigger: TouchReached | null };
  const due: Due[] = [];
  const reached = new Set<string>();
  let seq = 0;
  let changes = 0;
  let ended = false;
  const schedule = (at: number, action: DriverAction, trigger: TouchReached | null) => {
    due.push({ at, seq: seq++, action, trigger });
    changes++;
  };
  for (const a of input.actions) if (a.anchor === 'enrollment') schedule(input.enrolledAt + a.delayMs, a, null);

  setHandler(touchReachedSignal, (t) => {
    if (reached.has(t.touchId)) return;
    const first = reached.size === 0;
    reached.add(t.touchId);
    for (const a of input.actions) {
      if (a.anchor === 'each-touch' || (a.anchor === 'first-touch' && first) || (a.anchor === 'touch' && a.touchId === t.touchId)) {
        schedule(t.at + a.delayMs, a, t);
      } else if (a.anchor === 'session-end' && t.sessionEndsAt !== undefined) {
        schedule(t.sessionEndsAt + a.delayMs, a, t);
      }
    }
  });
  setHandler(enrollmentEndedSignal, () => { ended = true; });

  while (!ended) {
    due.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = due[0];
    const now = Date.now();
    if (next && next.at <= now) {
      due.shift();
      await acts.performPersonaAction({ persona: input.persona, action: next.action.index, trigger: next.trigger, now });
      continue;
    }
    const seen = changes;
    if (next) await condition(() => ended || changes !== seen, next.at - now);
    else await condition(() => ended || changes !== seen);
  }
  return { pending: due.map((d) => ({ index: d.action.index, at: d.at, ...(d.trigger && { touchId: d.trigger.touchId }) })) };
}
