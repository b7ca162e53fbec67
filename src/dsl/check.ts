import { subscriptionProblems } from './check-subscriptions';
import { schemaProblems } from './check-schema';
import { idProblems, reachabilityProblems, reentryProblems, referenceProblems, timezoneProblems, weekdayProblems } from './check-rules';
import { templateProblems } from './check-templates';
import { twoWayProblems } from './check-two-way';
import { policyProblems, webinarAndPageProblems } from './check-channels';
import { planWarnings, type CheckEnvironment } from './check-warnings';
import { isFunnelDefinition } from './define';
import { Plan } from './plan';
import { salvagePlan } from './salvage';
import type { Problem } from './problem';

export { formatProblem, formatWarning, type Problem } from './problem';
export type { CheckEnvironment } from './check-warnings';

/** The funnel id to put in messages, even when the id itself is broken. */
function funnelName(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : '(no id)';
}

/** Every rule beyond the schema, on a plan that parsed or on what could be read of one that did not. */
function ruleProblems(plan: Plan): Problem[] {
  return [
    ...idProblems(plan),
    ...timezoneProblems(plan),
    ...referenceProblems(plan),
    ...templateProblems(plan),
    ...reachabilityProblems(plan),
    ...weekdayProblems(plan),
    ...webinarAndPageProblems(plan),
    ...policyProblems(plan),
    ...twoWayProblems(plan),
    ...subscriptionProblems(plan),
    ...reentryProblems(plan),
  ];
}

/** The problems once each, in the order found. */
function distinct(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.step ?? p.area ?? ''}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What `validateFunnel` answers: the plan (only when there are no problems), every problem, and the warnings. */
export interface Validation {
  plan?: Plan;
  problems: Problem[];
  /** Things that will misbehave at run time but do not stop the funnel (`npm run check` prints them, exit 0). */
  warnings: Problem[];
}

/**
 * Validates a funnel (the `defineFunnel` result or its raw plan) and lists every problem in one run; never throws.
 * A schema failure does not stop the other checks: they run on what can be read (see salvage.ts), so a broken step
 * never hides the mistakes elsewhere. `plan` is set only when there are no problems. `env` says what the running
 * engine has configured, for the warnings that depend on it.
 */
export function validateFunnel(input: unknown, env: CheckEnvironment = {}): Validation {
  const raw = isFunnelDefinition(input) ? input.raw : input;
  const name = funnelName(raw);
  const parsed = Plan.safeParse(raw);
  const plan = parsed.success ? parsed.data : typeof raw === 'object' && raw !== null ? salvagePlan(raw, name) : undefined;
  const schema = parsed.success ? [] : schemaProblems(raw, name, parsed.error.issues);
  const problems = distinct([...schema, ...(plan ? ruleProblems(plan) : [])]);
  const warnings = plan ? planWarnings(plan, env) : [];
  return problems.length === 0 && parsed.success ? { plan: parsed.data, problems, warnings } : { problems, warnings };
}
