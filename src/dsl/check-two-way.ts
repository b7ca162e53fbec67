import { closest } from './closest';
import { allPlanSteps } from './plan';
import type { Condition, Plan, Step } from './plan';
import type { Problem } from './problem';

function* conditionsIn(c: Condition): Generator<Condition> {
  yield c;
  if (c.kind === 'all' || c.kind === 'any') for (const x of c.conditions) yield* conditionsIn(x);
  if (c.kind === 'not') yield* conditionsIn(c.condition);
}

/** The condition a step decides by, if it has one. */
function conditionOf(step: Step): Condition | undefined {
  return step.type === 'branch' ? step.if : step.type === 'ask' ? step.if : undefined;
}

/**
 * The two-way steps' rules: attributes an ask saves to, a setAttribute/tag writes or a date wait reads are declared; a `commentOf` names
 * an ask of the funnel; reply patterns compile; an answer condition sits on an ask that can give one (a reply
 * condition on a free-text ask, a score condition on one with scores), or in a branch after an ask.
 */
export function twoWayProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const steps = [...allPlanSteps(plan)];
  const asks = steps.filter((s) => s.type === 'ask');
  const attribute = (step: Step, key: string, what: string) => {
    if (plan.attributes.includes(key)) return;
    const near = closest(key, plan.attributes);
    problems.push({
      funnel: plan.id, step: step.id, message: `${what} attribute '${key}', which is not declared`,
      fix: near ? `did you mean '${near}'? If not, declare it: attributes: ['${key}']` : `declare it: attributes: ['${key}']`,
    });
  };
  for (const step of steps) {
    if (step.type === 'setAttribute') attribute(step, step.key, step.value === true ? 'tags the contact with' : 'writes');
    if (step.type === 'ask' && step.saveAs !== undefined) attribute(step, step.saveAs, 'saves the answer to');
    if (step.type === 'waitUntil' && step.date?.startsWith('contact.attributes.')) attribute(step, step.date.slice('contact.attributes.'.length), 'waits for the date in');
    if (step.type === 'ask' && step.commentOf !== undefined && !asks.some((a) => a.id === step.commentOf && a.id !== step.id)) {
      problems.push({ funnel: plan.id, step: step.id, message: `comments ask '${step.commentOf}', which is not an ask of this funnel`, fix: `use the id of an ask: ${asks.map((a) => a.id).join(', ') || 'none yet'}` });
    }
    if (step.type === 'ask' && step.commentOf !== undefined && step.freeText !== true) {
      problems.push({ funnel: plan.id, step: step.id, message: 'a comment is free text, but this ask does not take free text', fix: 'add freeText: true' });
    }
    const cond = conditionOf(step);
    if (!cond) continue;
    for (const c of conditionsIn(cond)) {
      if (c.kind === 'reply' && c.pattern !== undefined) {
        try { new RegExp(c.pattern, c.flags ?? ''); } catch (err) {
          problems.push({ funnel: plan.id, step: step.id, message: `the reply pattern /${c.pattern}/ does not compile: ${(err as Error).message}`, fix: 'fix the regular expression' });
        }
      }
      if (step.type === 'ask' && c.kind === 'reply' && step.freeText !== true) {
        problems.push({ funnel: plan.id, step: step.id, message: 'the condition matches a free-text reply, but this ask does not take free text', fix: 'add freeText: true, or branch on the option (options[].steps)' });
      }
      if (step.type === 'branch' && (c.kind === 'reply' || (c.kind === 'score' && c.of === 'answer')) && asks.length === 0) {
        problems.push({ funnel: plan.id, step: step.id, message: 'the condition reads an answer, but the funnel has no ask', fix: 'add an ask() before this branch' });
      }
    }
  }
  return problems;
}
