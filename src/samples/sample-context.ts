import { answerPageLinks } from '../pages/answer-url';
import type { Db } from '../db/database';
import type { ContactRow, WebinarRow, WebinarSessionRow } from '../db/schema';
import { askIdsOf, type Plan, type TouchStep, type Webinar } from '../dsl/plan';
import { templateContext } from '../templates/render';
import { vkRefLink } from '../channels/vk/ref-link';
import { telegramStartLink } from '../channels/telegram/start-link';
import { unsubscribeUrl } from '../tracking/tokens';
import { pageUrl } from '../pages/page-url';
import { findWebinar, sessionFor } from '../webinars/webinar-rows';
import { newSessionStart } from '../webinars/assign-session';
import { webinarTemplateVars } from '../webinars/template-vars';
import { referralLink } from '../referrals/referral-codes';
import type { TouchContext } from '../activities/touch-context';

/** The id the links of a test message are signed for: a contact that does not exist, so following them records nothing. */
export const SAMPLE_CONTACT_ID = 'ct_sample';

/** The referral code of test messages: valid in shape, stored for nobody. */
export const SAMPLE_REFERRAL_CODE = 'testrefcde';

/**
 * The contact a test message is rendered for when none is named: a plausible person in the funnel's zone, the
 * declared attributes as `[name]` placeholders, the test address as its own. Never stored.
 */
export function sampleContact(plan: Plan, to: { email?: string; phone?: string; telegramChatId?: string }, now: number): ContactRow {
  return {
    id: SAMPLE_CONTACT_ID, external_id: null, email: to.email ?? 'anna@example.com', phone: to.phone ?? null, telegram_chat_id: to.telegramChatId ?? null, vk_user_id: null,
    name: 'Анна Иванова', timezone: plan.timezone, locale: 'ru', test: 1, erased_at: null, source: null, campaign: null, source_first: null, source_latest: null,
    attributes: JSON.stringify(Object.fromEntries(plan.attributes.map((a) => [a, `[${a}]`]))), created_at: now, updated_at: now,
  };
}

/** The stored webinar row, or one built from the plan when the webinar was never synced (nothing is written). */
async function webinarRow(db: Db, plan: Plan, w: Webinar, now: number): Promise<WebinarRow> {
  return (await findWebinar(db, w.id)) ?? {
    id: w.id, funnel_id: plan.id, title: w.title, starts_at: w.startsAt ? Date.parse(w.startsAt) : null, duration_ms: w.durationMs,
    join_url: w.joinUrl, replay_url: w.replayUrl ?? null, min_lead_ms: w.minLeadMs, moved_at: null, updated_at: now,
    schedule: w.schedule ? JSON.stringify({ times: w.schedule.times, weekdays: w.schedule.weekdays ?? null }) : null,
  };
}

/** What a test render needs to know about the running engine. */
export interface SampleContextDeps {
  db: Db;
  publicUrl: string;
  secretKey: string;
  /** The bot's username, for `{{ links.telegram }}`; null without a bot. */
  telegramBot?: string | null;
  /** The VK community for `{{ links.vk }}`; null without one. */
  vkCommunity?: string | null;
}

/**
 * The template context a touch would be rendered with for `contact`, built without writing anything: the contact's
 * own webinar sessions, or the session it would be assigned now; links signed for the sample contact, so a tester's
 * clicks, visits and unsubscribes change nobody's record.
 */
export async function sampleContext(deps: SampleContextDeps, a: { plan: Plan; touch: TouchStep; contact: ContactRow; now: number }): Promise<{
  ctx: TouchContext;
  /** Each webinar's row and the contact's (possibly hypothetical) session, for an invite's calendar file. */
  sessions: Record<string, { row: WebinarRow; session: WebinarSessionRow }>;
}> {
  const { plan, contact } = a;
  const base = templateContext(contact, null, { id: plan.id, name: plan.name }, a.touch.id);
  const links = {
    telegram: deps.telegramBot ? telegramStartLink(deps.telegramBot, deps.secretKey, SAMPLE_CONTACT_ID) : null,
    vk: deps.vkCommunity ? vkRefLink(deps.vkCommunity, deps.secretKey, SAMPLE_CONTACT_ID) : null,
    unsubscribe: unsubscribeUrl(deps.publicUrl, deps.secretKey, SAMPLE_CONTACT_ID, 'test'),
    pages: Object.fromEntries((plan.pages ?? []).map((p) => [p.id, pageUrl(deps.publicUrl, deps.secretKey, plan.id, p.id, SAMPLE_CONTACT_ID)])),
    // A code that is nobody's: a tester's friend who follows it is linked to no one.
    referral: referralLink({ publicUrl: deps.publicUrl, telegramBot: deps.telegramBot, formFunnelId: plan.form ? plan.id : null, code: SAMPLE_REFERRAL_CODE }),
    asks: answerPageLinks(deps.publicUrl, deps.secretKey, plan.id, askIdsOf(plan.steps), SAMPLE_CONTACT_ID),
  };
  const opts = { timezone: contact.timezone ?? plan.timezone, locale: contact.locale ?? 'ru', publicUrl: deps.publicUrl, secretKey: deps.secretKey, contactId: SAMPLE_CONTACT_ID };
  const webinars: Record<string, Record<string, unknown>> = {};
  const sessions: Record<string, { row: WebinarRow; session: WebinarSessionRow }> = {};
  for (const w of plan.webinars ?? []) {
    const row = await webinarRow(deps.db, plan, w, a.now);
    const session: WebinarSessionRow = (await sessionFor(deps.db, w.id, contact.id)) ?? {
      id: 'ws_sample', webinar_id: w.id, contact_id: contact.id, registered_at: null, outcome: null, minutes: null, stayed_to_offer: null, created_at: a.now,
      starts_at: newSessionStart(row, { contactTimezone: contact.timezone, fallbackTimezone: plan.timezone, now: a.now }),
    };
    webinars[w.id] = { ...webinarTemplateVars(row, session, opts) };
    sessions[w.id] = { row, session };
  }
  const invited = a.touch.type === 'webinarInvite' ? webinars[a.touch.webinar] : undefined;
  return { ctx: { ...base, links, webinars, quiz: { score: 0 }, ...(invited && { webinar: invited }) }, sessions };
}
