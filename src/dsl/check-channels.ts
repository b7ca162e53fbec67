import { nearestId } from './closest';
import { walkSteps } from './plan';
import type { Plan } from './plan';
import type { Problem } from './problem';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Webinar invites and webinar waits name a webinar of the funnel; webinar and page ids are unique and distinct from step ids. */
export function webinarAndPageProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const webinarIds = (plan.webinars ?? []).map((w) => w.id);
  const pageIds = (plan.pages ?? []).map((p) => p.id);
  const stepIds = new Set([...walkSteps(plan.steps)].map((s) => s.id));
  const unknownWebinar = (stepId: string, id: string) => {
    const near = nearestId(id, webinarIds);
    problems.push({
      funnel: plan.id, step: stepId, message: `webinar '${id}' is not declared in this funnel`,
      fix: near ? `did you mean '${near}'?` : `declare it: webinars: [{ id: '${id}', title, startsAt or schedule, joinUrl }]`,
    });
  };
  for (const step of walkSteps(plan.steps)) {
    // An empty id is a schema problem, already reported.
    if (step.type === 'webinarInvite' && step.webinar !== '' && !webinarIds.includes(step.webinar)) unknownWebinar(step.id, step.webinar);
    if (step.type === 'waitUntil' && step.webinar !== undefined && step.webinar !== '' && !webinarIds.includes(step.webinar)) unknownWebinar(step.id, step.webinar);
  }
  const seen = new Set<string>();
  for (const id of [...webinarIds.map((w) => `webinar:${w}`), ...pageIds.map((p) => `page:${p}`)]) {
    const [kind, bare] = id.split(':') as [string, string];
    if (seen.has(id)) problems.push({ funnel: plan.id, area: `${kind}s`, message: `${kind} id '${bare}' is used more than once`, fix: `give every ${kind} its own id` });
    seen.add(id);
    if (kind === 'page' && stepIds.has(bare)) {
      problems.push({ funnel: plan.id, area: 'pages', message: `page id '${bare}' is also a step id`, fix: 'pages are touches in the stats: give the page an id no step uses' });
    }
  }
  if (plan.form && !pageIds.includes(plan.form.thankYouPage)) {
    const near = nearestId(plan.form.thankYouPage, pageIds);
    problems.push({
      funnel: plan.id, area: 'form', message: `the form's thankYouPage '${plan.form.thankYouPage}' is not a page of this funnel`,
      fix: near ? `did you mean '${near}'?` : `add it: pages: [{ id: '${plan.form.thankYouPage}', title, html }]${pageIds.length ? ` (this funnel's pages: ${pageIds.join(', ')})` : ''}`,
    });
  }
  if (plan.form && !plan.form.fields.some((f) => f.name === 'email' || f.name === 'phone')) {
    problems.push({ funnel: plan.id, area: 'form', message: 'the form asks for neither email nor phone', fix: "add a field { name: 'email' } or { name: 'phone' } so the contact can be reached" });
  }
  return problems;
}

/** A send window has a positive length (it may wrap midnight, e.g. 22:00–02:00, but not be empty). */
export function policyProblems(plan: Plan): Problem[] {
  const w = plan.policy?.sendWindow;
  if (!w || minutes(w.from) !== minutes(w.to)) return [];
  return [{ funnel: plan.id, area: 'policy', message: `the send window ${w.from}–${w.to} is empty`, fix: "give it a length, e.g. sendWindow: { from: '09:00', to: '21:00' }" }];
}
