import type { Plan } from '../dsl/plan';
import type { ContactInput } from '../contacts/input';
import type { SimPersona } from './personas';

const MIN = 60_000;

function contact(n: number, name: string, plan: Plan): ContactInput {
  return {
    email: `persona-${n}@example.ru`, phone: `+7916000000${n}`, telegramChatId: `100${n}`, name, timezone: plan.timezone,
    consent: { email: true, sms: true, telegram: true },
  };
}

/**
 * The three personas a simulation runs without a personas file, each reachable on every channel in the funnel's zone:
 * one ignores everything; one opens every email and clicks every touch within minutes and attends every webinar to
 * the end (the report arriving 5 minutes later); one reaches the goal 10 minutes after the first touch that reaches it.
 */
export function builtinPersonas(plan: Plan): SimPersona[] {
  const webinars = plan.webinars ?? [];
  const engaged: SimPersona = {
    name: 'Активный', about: `opens and clicks every touch${webinars.length > 0 ? ', attends every webinar to the end' : ''}`, builtin: 'engaged',
    contact: contact(2, 'Борис Активный', plan), variants: {},
    actions: [
      { index: 0, anchor: 'each-touch', delayMs: 5 * MIN, event: '<touch>.opened', touchEvent: 'opened', properties: {}, label: 'opens every email 5m after it arrives' },
      { index: 1, anchor: 'each-touch', delayMs: 10 * MIN, event: '<touch>.clicked', touchEvent: 'clicked', properties: {}, label: 'clicks every touch 10m after it arrives' },
      ...(webinars.length > 0 ? [{
        // The platform's attendance report comes a few minutes after the session ends (never at the very moment a
        // reminder right after the end is due, which would make the run depend on which of the two goes first).
        index: 2, anchor: 'session-end' as const, delayMs: 5 * MIN, event: 'webinar.attended', properties: {},
        label: 'attends every webinar session to the end (reported 5m after it ends)',
      }] : []),
    ],
  };
  return [
    { name: 'Молчун', about: 'ignores everything', builtin: 'silent', contact: contact(1, 'Анна Молчанова', plan), variants: {}, actions: [] },
    engaged,
    {
      name: 'Покупатель', about: `reaches the goal (${plan.goal.event}) 10m after the first touch`, builtin: 'buyer',
      contact: contact(3, 'Вера Покупаева', plan), variants: {},
      actions: [{
        index: 0, anchor: 'first-touch', delayMs: 10 * MIN, event: plan.goal.event, properties: {},
        ...(plan.goal.value !== undefined && { value: plan.goal.value }), label: `${plan.goal.event} 10m after the first touch`,
      }],
    },
  ];
}
