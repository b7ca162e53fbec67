/** One thing wrong with a funnel, said so a marketer can fix it without reading code. */
export type Problem = {
  /** The funnel id (or '(no id)'). */
  funnel: string;
  /** The step nearest to the problem (for split variants: `<splitId>.<variantId>`). */
  step?: string;
  /** The part of the funnel when no step is involved: goal, entry, timezone, id, name, attributes, events, steps. */
  area?: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
};

/** `<file>: <funnel>/<step or area>: <what is wrong> — <how to fix>`, one line. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}: ${p.funnel}/${p.step ?? p.area ?? 'plan'}: ${p.message} — ${p.fix}`;
}

/** `<file>: warning: <funnel>/<step or area>: <what will go wrong> — <what to do>`, one line, labelled as a warning. */
export function formatWarning(file: string, p: Problem): string {
  return `${file}: warning: ${p.funnel}/${p.step ?? p.area ?? 'plan'}: ${p.message} — ${p.fix}`;
}
