import { schemaProblems } from './check-schema';
import { idProblems, reachabilityProblems, referenceProblems, timezoneProblems, weekdayProblems } from './check-rules';
import { templateProblems } from './check-templates';
import { policyProblems, webinarAndPageProblems } from './check-channels';
import { isFunnelDefinition } from './define';
import { Plan } from './plan';
import type { Problem } from './problem';

export { formatProblem, type Problem } from './problem';

/** The funnel id to put in messages, even when the id itself is broken. */
function funnelName(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : '(no id)';
}

/**
 * Validates a funnel (the `defineFunnel` result or its raw plan) and lists every problem; never
 * throws. `plan` is set only when there are no problems.
 */
export function validateFunnel(input: unknown): { plan?: Plan; problems: Problem[] } {
  const raw = isFunnelDefinition(input) ? input.raw : input;
  const parsed = Plan.safeParse(raw);
  if (!parsed.success) return { problems: schemaProblems(raw, funnelName(raw), parsed.error.issues) };
  const plan = parsed.data;
  const problems = [
    ...idProblems(plan),
    ...timezoneProblems(plan),
    ...referenceProblems(plan),
    ...templateProblems(plan),
    ...reachabilityProblems(plan),
    ...weekdayProblems(plan),
    ...webinarAndPageProblems(plan),
    ...policyProblems(plan),
  ];
  return problems.length > 0 ? { problems } : { plan, problems };
}
