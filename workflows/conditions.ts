import type { Condition, PropertyMatch, Scalar } from '../src/dsl/plan';

/** What a condition can look at; all of it is workflow state or an activity's answer. */
export interface ConditionFacts {
  attributes: Record<string, Scalar | null>;
  seen: Array<{ name: string; properties: Record<string, Scalar> }>;
  touches: Record<string, string[]>;
  /** The answer the current (or latest) ask got. */
  answer?: AnswerFacts | null | undefined;
  /** The enrollment's running quiz score. */
  quizScore?: number | undefined;
}

/** An ask's answer as conditions see it: the option id, number or reply text, its score, the reply's text. */
export interface AnswerFacts {
  value: string | number;
  score: number | null;
  text?: string | undefined;
}

/** Whether a reply matches a pattern (its own flags) or contains one of the keywords, in any case. */
export function replyMatches(c: { pattern?: string | undefined; flags?: string | undefined; keywords?: string[] | undefined }, text: string): boolean {
  if (c.pattern !== undefined) return new RegExp(c.pattern, c.flags ?? '').test(text);
  const lower = text.toLowerCase();
  return (c.keywords ?? []).some((k) => lower.includes(k.toLowerCase()));
}

function matches(expected: PropertyMatch, actual: unknown): boolean {
  if (typeof expected !== 'object') return actual === expected;
  if (typeof actual !== 'number') return false;
  return (expected.gt === undefined || actual > expected.gt) && (expected.gte === undefined || actual >= expected.gte)
    && (expected.lt === undefined || actual < expected.lt) && (expected.lte === undefined || actual <= expected.lte);
}

/** True when every `where` property equals the event's (or, for a range, the event's number lies in it). */
export function propertiesMatch(where: Record<string, PropertyMatch> | undefined, properties: Record<string, unknown>): boolean {
  if (!where) return true;
  return Object.entries(where).every(([k, v]) => matches(v, properties[k]));
}

/** Whether a condition needs the contact's attributes (and so an activity call). */
export function needsAttributes(c: Condition): boolean {
  switch (c.kind) {
    case 'attribute': return true;
    case 'all': case 'any': return c.conditions.some(needsAttributes);
    case 'not': return needsAttributes(c.condition);
    default: return false;
  }
}

function compare(actual: Scalar | null | undefined, op: Condition & { kind: 'attribute' }): boolean {
  const expected = op.value;
  switch (op.op) {
    case 'exists': return actual !== undefined && actual !== null && actual !== '';
    case 'eq': return actual === expected;
    case 'neq': return actual !== expected;
    case 'in': return Array.isArray(expected) && actual !== null && actual !== undefined && expected.includes(actual);
    default: {
      if (typeof actual !== 'number' && typeof actual !== 'string') return false;
      if (typeof expected !== typeof actual) return false;
      const a = actual as number | string;
      const b = expected as number | string;
      return op.op === 'gt' ? a > b : op.op === 'gte' ? a >= b : op.op === 'lt' ? a < b : a <= b;
    }
  }
}

/** Evaluates a condition deterministically against the facts. */
export function evaluate(c: Condition, facts: ConditionFacts): boolean {
  switch (c.kind) {
    case 'attribute': return compare(facts.attributes[c.key], c);
    case 'event': return facts.seen.some((e) => e.name === c.name && propertiesMatch(c.where, e.properties));
    case 'touch': return (facts.touches[c.touchId] ?? []).includes(c.status);
    case 'all': return c.conditions.every((x) => evaluate(x, facts));
    case 'any': return c.conditions.some((x) => evaluate(x, facts));
    case 'not': return !evaluate(c.condition, facts);
    case 'reply': {
      const text = facts.answer?.text;
      return text !== undefined && replyMatches(c, text);
    }
    case 'score': {
      const score = c.of === 'quiz' ? facts.quizScore ?? 0 : facts.answer?.score ?? null;
      return score !== null && matches(c.range, score);
    }
  }
}
