import type { EnrollmentRow } from '../db/schema';
import type { EnrollmentOutcome } from '../../workflows/types';
import type { PersonaDriverResult } from '../../workflows/persona-driver';
import type { SimPersona } from './personas';
import type { ActionRecord } from './sim-activities';
import type { ActionOutcome, SimOutcome, TimelineEntry } from './result';
import { localStamp } from './timeline';

const REACHED = new Set<TimelineEntry['status']>(['sent', 'outbox']);

/** Whether a timeline entry is a touch that reached the persona. */
export function reachedTouch(e: TimelineEntry): boolean {
  return REACHED.has(e.status);
}

/** How the enrollment ended, from the workflow's answer, the enrollment row and the actions (for the conversion step). */
export function personaOutcome(args: {
  result: EnrollmentOutcome | { error: string };
  enrollment: EnrollmentRow | undefined;
  timeline: TimelineEntry[];
  actions: ActionRecord[];
  goalEvent: string;
}): SimOutcome {
  const { result, enrollment, timeline } = args;
  const reached = timeline.filter(reachedTouch);
  if ('error' in result) return { status: 'failed', reason: result.error, touches: reached.length };
  const convertedAt = enrollment?.converted_at ?? null;
  if (result.status === 'converted' && convertedAt !== null) {
    const by = args.actions.find((a) => a.event === args.goalEvent && a.at === convertedAt);
    return {
      status: 'converted', reason: result.reason, touches: reached.filter((e) => Date.parse(e.at) <= convertedAt).length,
      step: by?.step ?? null, at: new Date(convertedAt).toISOString(),
    };
  }
  const at = enrollment?.finished_at ? new Date(enrollment.finished_at).toISOString() : undefined;
  if (result.reason === 'completed') return { status: 'completed', reason: 'completed', touches: reached.length, ...(at && { at }) };
  const step = result.reason.startsWith('exit:') ? result.reason.slice(5) : timeline[timeline.length - 1]?.step ?? null;
  return { status: 'exited', reason: result.reason, touches: reached.length, step, ...(at && { at }) };
}

/**
 * What became of each action the persona was given: done (when, at which step), failed (why), or never — the touch it
 * follows never reached the persona, or the enrollment ended before it was due.
 */
export function actionOutcomes(persona: SimPersona, index: number, records: ActionRecord[], driver: PersonaDriverResult | null, zone: string, enrolledAt: number): ActionOutcome[] {
  const out: Array<ActionOutcome & { ms: number }> = [];
  const stamp = (ms: number) => ({ at: new Date(ms).toISOString(), local: localStamp(ms, zone, enrolledAt).local });
  for (const action of persona.actions) {
    const mine = records.filter((r) => r.persona === index && r.action === action.index);
    const where = action.where === undefined ? {} : { where: action.where };
    for (const r of mine) {
      out.push({
        ms: r.at, label: action.label, event: r.event, status: r.error === undefined ? 'done' : 'failed', ...stamp(r.at), step: r.step,
        ...(r.error !== undefined && { reason: r.error }), ...where,
      });
    }
    const wildcard = action.anchor === 'each-touch' || action.anchor === 'session-end';
    if (mine.length > 0 || wildcard) continue;
    const pending = driver?.pending.find((p) => p.index === action.index);
    const reason = pending
      ? `the enrollment ended before it was due (${localStamp(pending.at, zone, enrolledAt).local})`
      : action.anchor === 'touch' ? `touch ${action.touchId} never reached this persona`
        : action.anchor === 'first-touch' ? 'no touch reached this persona' : 'the enrollment ended before it was due';
    out.push({ ms: pending?.at ?? Number.MAX_SAFE_INTEGER, label: action.label, event: action.event, status: 'never', reason, ...where });
  }
  out.sort((a, b) => a.ms - b.ms);
  return out.map(({ ms: _ms, ...a }) => a);
}
