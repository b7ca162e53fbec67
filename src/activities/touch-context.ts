import type { ContactRow } from '../db/schema';
import type { SendTouchDeps } from './send-deps';
import type { SendTouchInput, TouchSettings } from './send-touch';
import { templateContext, type TemplateContext } from '../templates/render';
import { telegramStartLink } from '../channels/telegram/start-link';
import { vkRefLink } from '../channels/vk/ref-link';
import { unsubscribeUrl } from '../tracking/tokens';
import { pageUrl } from '../pages/page-url';
import { answerPageLinks } from '../pages/answer-url';
import { findWebinar, sessionFor } from '../webinars/webinar-rows';
import { assignSession } from '../webinars/assign-session';
import { webinarTemplateVars } from '../webinars/template-vars';
import { contactTimeZone } from '../time/zones';
import { referralLinkFor, usesReferralLink } from '../referrals/referral-codes';
import { getPlanVersion } from '../db/funnels';
import { quizScore } from '../db/answers';

/** Everything a touch template can use: the contact, the trigger, the funnel, links, webinar sessions. */
export type TouchContext = TemplateContext & {
  links: { telegram: string | null; vk: string | null; unsubscribe: string; pages: Record<string, string>; referral: string | null; asks: Record<string, string> };
  webinar?: Record<string, unknown>;
  webinars: Record<string, Record<string, unknown>>;
  /** The enrollment's running quiz score (the sum of its quiz answers' scores so far). */
  quiz: { score: number };
};

/**
 * Builds the template context of one delivery. An invite assigns the contact's webinar session (idempotently) so its
 * date, time and links are the contact's own; other touches see the sessions the contact already has.
 */
export async function touchContext(deps: SendTouchDeps, args: {
  input: SendTouchInput; settings: TouchSettings; contact: ContactRow; deliveryId: string; inviteWebinar?: string | undefined; now: number;
}): Promise<TouchContext> {
  const { input, settings, contact } = args;
  const base = templateContext(contact, input.trigger, { id: input.funnelId, name: input.funnelName }, input.touch.id);
  const pages = Object.fromEntries((settings.pageIds ?? []).map((id) => [id, pageUrl(deps.publicUrl, deps.secretKey, input.funnelId, id, contact.id)]));
  const links = {
    telegram: deps.telegramBot ? telegramStartLink(deps.telegramBot, deps.secretKey, contact.id) : null,
    vk: deps.vkCommunity ? vkRefLink(deps.vkCommunity, deps.secretKey, contact.id) : null,
    unsubscribe: unsubscribeUrl(deps.publicUrl, deps.secretKey, contact.id, args.deliveryId),
    pages,
    referral: usesReferralLink(input.touch) ? await touchReferralLink(deps, input, contact.id, args.now) : null,
    asks: answerPageLinks(deps.publicUrl, deps.secretKey, input.funnelId, settings.askIds ?? [], contact.id),
  };
  const varsOpts = { timezone: contactTimeZone(contact.timezone, settings.timezone), locale: contact.locale ?? 'ru', publicUrl: deps.publicUrl, secretKey: deps.secretKey, contactId: contact.id };
  const webinars: Record<string, Record<string, unknown>> = {};
  const sessions = await deps.db.selectFrom('webinar_sessions').selectAll().where('contact_id', '=', contact.id).execute();
  for (const s of sessions) {
    const w = await findWebinar(deps.db, s.webinar_id);
    if (w) webinars[w.id] = { ...webinarTemplateVars(w, s, varsOpts) };
  }
  let webinar: Record<string, unknown> | undefined;
  if (args.inviteWebinar) {
    const session = (await sessionFor(deps.db, args.inviteWebinar, contact.id)) ?? await assignSession(deps.db, {
      webinarId: args.inviteWebinar, contactId: contact.id, contactTimezone: contact.timezone, fallbackTimezone: settings.timezone, now: args.now,
    });
    const w = await findWebinar(deps.db, args.inviteWebinar);
    if (w) webinar = webinars[w.id] = { ...webinarTemplateVars(w, session, varsOpts) };
  }
  const quiz = { score: await quizScore(deps.db, input.enrollmentId) };
  return { ...base, links, webinars, quiz, ...(webinar && { webinar }) };
}

/** `{{ links.referral }}` of a touch: its funnel's form (of the version the enrollment runs) or the bot, with the contact's code. */
async function touchReferralLink(deps: SendTouchDeps, input: SendTouchInput, contactId: string, now: number): Promise<string | null> {
  const enrollment = await deps.db.selectFrom('enrollments').select('version').where('id', '=', input.enrollmentId).executeTakeFirst();
  const plan = enrollment ? await getPlanVersion(deps.db, input.funnelId, enrollment.version).catch(() => undefined) : undefined;
  return referralLinkFor(deps.db, { publicUrl: deps.publicUrl, telegramBot: deps.telegramBot, funnelHasForm: plan?.form !== undefined, funnelId: input.funnelId, contactId, now });
}
