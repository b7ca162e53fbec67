import { formatDuration } from './duration';
import { walkSteps, type Plan } from './plan';
import type { Problem } from './problem';
import { templateSources } from './template-sources';
import { templateVariables } from './check-templates';

/** What the engine that will run the funnel has configured; a warning that depends on it is given only when it is known. */
export interface CheckEnvironment {
  /** Whether a Telegram bot is configured (`TELEGRAM_BOT_TOKEN`); without one `{{ links.telegram }}` renders empty. */
  telegramBot?: boolean;
  /** Whether a VK community is configured (`VK_GROUP_ID`); without one `{{ links.vk }}` renders empty. */
  vkCommunity?: boolean;
  /** Whether staff tasks have a hand-off (`STAFF_TASK_WEBHOOK_URL`, `TEAM_EMAIL` or `TEAM_TELEGRAM_CHAT_ID`); without one a `task()` step only waits. */
  staffTasks?: boolean;
}

// A template that tests the link itself (`{% if links.telegram %}`) has thought of the empty case.
const TESTS_TELEGRAM = /\{%-?\s*(?:if|elsif|unless)\b[^%]*\blinks\.telegram\b/;

/** `{{ links.telegram }}` where it renders empty: no bot is configured and the template does not test for it. */
function telegramWarnings(plan: Plan, env: CheckEnvironment): Problem[] {
  if (env.telegramBot !== false) return [];
  const out: Problem[] = [];
  for (const { stepId, field, source } of templateSources(plan)) {
    const found = templateVariables(source);
    if ('error' in found || TESTS_TELEGRAM.test(source)) continue;
    if (!found.variables.some((v) => v[0] === 'links' && v[1] === 'telegram')) continue;
    out.push({
      funnel: plan.id, step: stepId, message: `${field} uses {{ links.telegram }}, but no Telegram bot is configured (TELEGRAM_BOT_TOKEN is unset): it renders empty`,
      fix: 'set TELEGRAM_BOT_TOKEN, or show it only with one: {% if links.telegram %}…{% endif %}',
    });
  }
  return out;
}

const TESTS_VK = /\{%-?\s*(?:if|elsif|unless)\b[^%]*\blinks\.vk\b/;

/** `{{ links.vk }}` where it renders empty: no VK community is configured and the template does not test for it. */
function vkWarnings(plan: Plan, env: CheckEnvironment): Problem[] {
  if (env.vkCommunity !== false) return [];
  return templateSources(plan).filter(({ source }) => {
    const found = templateVariables(source);
    return !('error' in found) && !TESTS_VK.test(source) && found.variables.some((v) => v[0] === 'links' && v[1] === 'vk');
  }).map(({ stepId, field }) => ({
    funnel: plan.id, step: stepId, message: `${field} uses {{ links.vk }}, but no VK community is configured (VK_GROUP_ID is unset): it renders empty`,
    fix: 'set VK_GROUP_ID (and VK_COMMUNITY), or show it only with one: {% if links.vk %}…{% endif %}',
  }));
}

const TESTS_REFERRAL = /\{%-?\s*(?:if|elsif|unless)\b[^%]*\blinks\.referral\b/;

/** `{{ links.referral }}` where it renders empty: the funnel has no lead form and no bot is configured. */
function referralWarnings(plan: Plan, env: CheckEnvironment): Problem[] {
  if (env.telegramBot !== false || plan.form) return [];
  return templateSources(plan).filter(({ source }) => {
    const found = templateVariables(source);
    return !('error' in found) && !TESTS_REFERRAL.test(source) && found.variables.some((v) => v[0] === 'links' && v[1] === 'referral');
  }).map(({ stepId, field }) => ({
    funnel: plan.id, step: stepId,
    message: `${field} uses {{ links.referral }}, but the funnel has no lead form and no Telegram bot is configured: there is nowhere for a friend to sign up, it renders empty`,
    fix: 'add a form to the funnel, set TELEGRAM_BOT_TOKEN, or show it only with one: {% if links.referral %}…{% endif %}',
  }));
}

/**
 * Webinar waits that a late sign-up reaches after their moment: offsets further before the session than the webinar's
 * `minLead` (the least time between assigning a session and its start). Without `late`, the touches after such a wait
 * are skipped `too_late` for that contact; several of them would otherwise have arrived together.
 */
function lateReminderWarnings(plan: Plan): Problem[] {
  const out: Problem[] = [];
  const webinars = new Map((plan.webinars ?? []).map((w) => [w.id, w]));
  const risky = [...walkSteps(plan.steps)].filter((s) => s.type === 'waitUntil' && s.webinar !== undefined && s.late === undefined
    && (s.offsetMs ?? 0) < 0 && -(s.offsetMs ?? 0) > (webinars.get(s.webinar)?.minLeadMs ?? Infinity));
  for (const step of risky) {
    if (step.type !== 'waitUntil' || step.webinar === undefined) continue;
    const webinar = webinars.get(step.webinar)!;
    const before = formatDuration(-(step.offsetMs ?? 0));
    const together = risky.filter((s) => s.type === 'waitUntil' && s.webinar === step.webinar).length > 1;
    out.push({
      funnel: plan.id, step: step.id,
      message: `a contact who signs up less than ${before} before the session of '${step.webinar}' (its minLead is ${webinar.minLeadMs > 0 ? formatDuration(webinar.minLeadMs) : '0'}) reaches this wait after its moment: the touches after it are skipped as too_late${together ? ' (without that, every such reminder would arrive at once)' : ''}`,
      fix: `say what you want: late: 'skip' keeps that, late: 'send' sends it at once (only the latest passed reminder goes out), or raise minLead to ${before}`,
    });
  }
  return out;
}

/** `task()` steps when no hand-off is configured: nobody is told, the step only waits for a logged touch. */
function taskWarnings(plan: Plan, env: CheckEnvironment): Problem[] {
  if (env.staffTasks !== false) return [];
  return [...walkSteps(plan.steps)].filter((s) => s.type === 'task').map((s) => ({
    funnel: plan.id, step: s.id,
    message: 'no staff task hand-off is configured (STAFF_TASK_WEBHOOK_URL is unset, and so are TEAM_EMAIL and TEAM_TELEGRAM_CHAT_ID): nobody is told about this task, the step only waits for a logged touch',
    fix: 'set STAFF_TASK_WEBHOOK_URL to your CRM, team-chat bot or automation service, or TEAM_EMAIL / TEAM_TELEGRAM_CHAT_ID to tell the team, or have the staff watch new leads on the dashboard',
  }));
}

/** Things that will misbehave at run time without stopping the funnel, for `npm run check` to print (exit 0). */
export function planWarnings(plan: Plan, env: CheckEnvironment): Problem[] {
  return [...telegramWarnings(plan, env), ...vkWarnings(plan, env), ...referralWarnings(plan, env), ...lateReminderWarnings(plan), ...taskWarnings(plan, env)];
}
