import { closest } from './closest';
import { REACTION_STEP_TYPES, walkSteps } from './plan';
import type { Plan } from './plan';
import type { Problem } from './problem';
import { knownEvents } from './check-rules';

/**
 * Funnel-level event subscriptions (`on`): each names an event the funnel knows (declared, a touch's, the goal, the
 * entry, a system event) and runs only steps that take no time: webhook(), notify(), setAttribute()/tag(), exit().
 */
export function subscriptionProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const events = knownEvents(plan);
  for (const [event, steps] of Object.entries(plan.on ?? {})) {
    const first = steps[0]?.id ?? `on.${event}`;
    if (!events.has(event)) {
      const near = closest(event, events);
      problems.push({
        funnel: plan.id, step: first, message: `the subscription on '${event}' waits for an event that is not known to this funnel`,
        fix: near ? `did you mean '${near}'? If not, declare it: events: ['${event}']` : `declare it: events: ['${event}']`,
      });
    }
    for (const step of walkSteps(steps)) {
      if (REACTION_STEP_TYPES.has(step.type)) continue;
      problems.push({
        funnel: plan.id, step: step.id, message: `a subscription (on '${event}') cannot run a ${step.type} step: it reacts at once, wherever the enrollment is`,
        fix: 'use webhook(), notify(), setAttribute(), tag() or exit() here; put messages and waits into the funnel\'s steps',
      });
    }
  }
  return problems;
}
