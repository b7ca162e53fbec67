import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DSL = resolve(import.meta.dirname, '../../src/dsl/index.ts');

/** The enrollment and events benchmarks' funnel: enrollment sleeps a day (one workflow task and a timer), then an email. */
export const ENROLL_FUNNEL = 'bench-enroll';

/**
 * The funnel of "1,000 touches due at once": every contact waits for the same minute (UTC), gets an email, then waits
 * for the minute before it (tomorrow: the same minute would count as now) and gets another.
 */
export const TOUCHES_FUNNEL = 'bench-touches';

/** Writes the bench funnels into `dir` (a FUNNELS_DIR); `dueTime` is the touches funnel's HH:MM in UTC. */
export function writeBenchFunnels(dir: string, dueTime = '03:00'): string {
  const [h, m] = dueTime.split(':').map(Number) as [number, number];
  const before = `${String((h + (m === 0 ? 23 : 0)) % 24).padStart(2, '0')}:${String((m + 59) % 60).padStart(2, '0')}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${ENROLL_FUNNEL}.ts`), `import { defineFunnel, email, wait } from ${JSON.stringify(DSL)};
export default defineFunnel({
  id: '${ENROLL_FUNNEL}', name: 'Bench: enroll and sleep', timezone: 'UTC',
  goal: { event: 'order.paid', within: '7d', exit: true },
  steps: [wait('pause', '1d'), email('later', { subject: 'later {{ contact.externalId }}', text: 'Письмо для {{ contact.externalId }}' })],
});
`);
  writeFileSync(join(dir, `${TOUCHES_FUNNEL}.ts`), `import { defineFunnel, email, waitUntil } from ${JSON.stringify(DSL)};
export default defineFunnel({
  id: '${TOUCHES_FUNNEL}', name: 'Bench: touches due at once', timezone: 'UTC',
  goal: { event: 'order.paid', within: '7d', exit: true },
  steps: [
    waitUntil('due', { time: '${dueTime}' }),
    email('touch', { subject: 'touch {{ contact.externalId }}', text: 'Письмо для {{ contact.externalId }}' }),
    waitUntil('next-day', { time: '${before}' }),
    email('touch-2', { subject: 'touch-2 {{ contact.externalId }}', text: 'Ещё письмо для {{ contact.externalId }}' }),
  ],
});
`);
  return dir;
}
