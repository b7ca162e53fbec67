import type { ContactRow, DeliveryRow } from '../db/schema';
import type { SendResult, TelegramButton } from '../channels/channel';
import type { TelegramButtonSpec } from '../dsl/plan';
import type { SendTouchDeps } from './send-deps';
import type { SendTouchInput, TouchSettings } from './send-touch';
import type { Candidate } from './touch-candidates';
import { renderTemplate, type TemplateContext } from '../templates/render';
import { renderTelegramText } from '../channels/telegram/render';
import { callbackData } from '../channels/telegram/callback-data';
import { markTelegramBlocked } from '../channels/telegram/suppress';
import { prepareTrackedEmail } from '../tracking/prepare-email';
import { withUtm } from '../tracking/utm';
import { storeLinks } from '../tracking/links';
import { suppress } from '../consent/suppressions';
import { findWebinar, sessionFor } from '../webinars/webinar-rows';
import { icsAttachment } from '../webinars/ics';
import { createSmsOutbox, createTelegramOutbox, createVkOutbox } from '../channels/outbox';
import { markVkBlocked } from '../channels/vk/suppress';
import { touchContext } from './touch-context';
import { storeObservedEvent } from './observed-event';
import { TemplateError } from '../errors';
import { claimSend, releaseClaim } from '../db/deliveries';
import { removePushSubscription } from '../db/push-subscriptions';
import { pushMessage } from './push-message';

type Failure = Extract<SendResult, { ok: false }>;
const permanent = (reason: string): Failure => ({ ok: false, retryable: false, reason });

/** One delivery attempt on one channel: render the candidate's templates for the contact and hand the message to the channel. */
export async function renderAndSend(deps: SendTouchDeps, a: {
  input: SendTouchInput; settings: TouchSettings; row: DeliveryRow; contact: ContactRow; candidate: Candidate; address: string; clock: () => number;
  /** The attempt count this call expects on the row; a concurrent attempt that got there first makes it back off. */
  attempts: number;
}): Promise<SendResult> {
  const { db } = deps;
  const { candidate, row } = a;
  // A failed read here is infrastructure: it propagates and Temporal retries the activity.
  const ctx = await touchContext(deps, { input: a.input, settings: a.settings, contact: a.contact, deliveryId: row.id, inviteWebinar: candidate.webinar, now: a.clock() });
  // Claims the send: only one attempt moves the counter from the value it read, so two overlapping attempts never both send.
  // `sending_since` stays set until the outcome is recorded (here for a failure, by the ledger's finish for a success).
  const mark = async (subject: string | null) => {
    const claim = { attempts: a.attempts, recipient: a.address, subject, channel: candidate.channel, at: a.clock() };
    if (!(await claimSend(db, row.id, claim))) throw new ConcurrentAttempt();
  };
  const settle = async (result: SendResult): Promise<SendResult> => {
    if (!result.ok) await releaseClaim(db, row.id, a.attempts + 1);
    return result;
  };
  const utm = a.input.touch.utm === false ? false : { ...a.settings.utm, ...a.input.touch.utm };
  try {
    switch (candidate.channel) {
      case 'email': {
        const subject = (await renderTemplate(candidate.subject, ctx, 'text')).trim();
        const html = candidate.html === undefined ? undefined : await renderTemplate(candidate.html, ctx, 'html');
        const text = candidate.text === undefined ? undefined : await renderTemplate(candidate.text, ctx, 'text');
        const tracked = await prepareTrackedEmail(deps, {
          deliveryId: row.id, contactId: a.contact.id, funnelId: row.funnel_id, touchId: row.touch_id, html, text,
          utm: Object.keys(utm || {}).length > 0 ? utm : false, now: a.clock(),
        });
        const attachments = candidate.webinar ? await inviteAttachments(deps, candidate.webinar, a.contact.id) : undefined;
        await mark(subject);
        return await settle(await deps.email.send({ to: a.address, from: deps.mailFrom, subject, html: tracked.html, text: tracked.text, headers: tracked.headers, ...(attachments && { attachments }) }, { deliveryId: row.id }));
      }
      case 'sms': {
        const text = (await renderTemplate(candidate.text, ctx, 'text')).trim();
        await mark(null);
        return await settle(await (deps.sms ?? createSmsOutbox(db)).send({ to: a.address, text }, { deliveryId: row.id }));
      }
      case 'telegram': {
        const parseMode = candidate.parseMode ?? 'HTML';
        const text = await renderTelegramText(candidate.text, ctx, parseMode);
        const rendered = candidate.buttons ? await renderButtons(candidate.buttons, ctx) : [];
        const buttons = rendered.length > 0 ? await keyboard(deps, row, rendered, utm || undefined, a.clock()) : undefined;
        await mark(null);
        return await settle(await (deps.telegram ?? createTelegramOutbox(db)).send({
          chatId: a.address, text, ...(parseMode !== 'text' && { parseMode }), photo: candidate.photo, document: candidate.document, buttons,
        }, { deliveryId: row.id }));
      }
      case 'push': {
        const message = await pushMessage(deps, { row, address: a.address, candidate, ctx, utm: utm || undefined, now: a.clock() });
        if (!message) return permanent('push subscription gone');
        if (!deps.push) return permanent('no push channel configured');
        await mark(message.payload.title);
        return await settle(await deps.push.send(message, { deliveryId: row.id }));
      }
      case 'vk': {
        let text = (await renderTemplate(candidate.text, ctx, 'text')).trim();
        const rendered = candidate.buttons ? await renderButtons(candidate.buttons, ctx) : [];
        const buttons = rendered.length > 0 ? await keyboard(deps, row, rendered, utm || undefined, a.clock()) : undefined;
        const attachments: string[] = [];
        for (const raw of candidate.attachments ?? []) {
          const value = (await renderTemplate(raw, ctx, 'text')).trim();
          if (value === '') continue;
          // A URL cannot be a VK attachment without an upload: it goes into the text as a tracked link VK previews.
          if (/^https?:\/\//i.test(value)) text = `${text}\n${await trackedUrl(deps, row, value, utm || undefined, a.clock())}`;
          else attachments.push(value);
        }
        await mark(null);
        return await settle(await (deps.vk ?? createVkOutbox(db)).send({
          peerId: a.address, text, buttons, ...(attachments.length > 0 && { attachments }),
        }, { deliveryId: row.id }));
      }
    }
  } catch (err) {
    if (err instanceof ConcurrentAttempt) return { ok: false, retryable: true, reason: 'another attempt is sending this touch' };
    // Only a template the marketer must fix is permanent (another channel's content may still render); a busy
    // database, a failed read or a channel bug propagates and is retried like any temporary failure.
    if (err instanceof TemplateError) return permanent(`template: ${err.message}`);
    throw err;
  }
}

/** Another attempt of the same send claimed the ledger row first. */
class ConcurrentAttempt extends Error {
  override readonly name = 'ConcurrentAttempt';
}

async function inviteAttachments(deps: SendTouchDeps, webinarId: string, contactId: string) {
  const webinar = await findWebinar(deps.db, webinarId);
  const session = await sessionFor(deps.db, webinarId, contactId);
  return webinar && session ? [icsAttachment(webinar, session, { url: webinar.join_url })] : undefined;
}

/**
 * The buttons with their text and URL rendered as Liquid (plain text: a button is not markup). A button whose text
 * or URL renders empty (a link the contact has not got) is left out, and so is a row left empty.
 */
export async function renderButtons(rows: TelegramButtonSpec[][], ctx: object): Promise<TelegramButtonSpec[][]> {
  const out: TelegramButtonSpec[][] = [];
  for (const r of rows) {
    const line: TelegramButtonSpec[] = [];
    for (const b of r) {
      const text = (await renderTemplate(b.text, ctx as TemplateContext, 'text')).trim();
      const url = b.url === undefined ? undefined : (await renderTemplate(b.url, ctx as TemplateContext, 'text')).trim();
      if (text !== '' && url !== '') line.push({ ...b, text, ...(url !== undefined && { url }) });
    }
    if (line.length > 0) out.push(line);
  }
  return out;
}

/** Inline keyboard: URL buttons go through tracked links (no target in the message), the others press back as `<touch>.clicked`. */
async function keyboard(deps: SendTouchDeps, row: DeliveryRow, rows: TelegramButtonSpec[][], utm: Parameters<typeof withUtm>[1], now: number): Promise<TelegramButton[][]> {
  const out: TelegramButton[][] = [];
  for (const r of rows) {
    const line: TelegramButton[] = [];
    for (const b of r) {
      if (!b.url) {
        line.push({ text: b.text, callbackData: callbackData(row.id, b.id) });
        continue;
      }
      line.push({ text: b.text, url: await trackedUrl(deps, row, b.url, utm, now) });
    }
    out.push(line);
  }
  return out;
}

/** A tracked link (with UTM) to `target` for this delivery: the contact's click is recorded, then redirected. */
async function trackedUrl(deps: SendTouchDeps, row: DeliveryRow, target: string, utm: Parameters<typeof withUtm>[1], now: number): Promise<string> {
  const url = withUtm(target, utm);
  const id = (await storeLinks(deps.db, row.id, [url], now)).get(url)!;
  return `${deps.publicUrl.replace(/\/$/, '')}/t/c/${id}`;
}

/** What a permanent failure means beyond this touch: a blocked bot or a bounced address is suppressed for every later touch. */
export async function reactToFailure(deps: SendTouchDeps, a: { row: DeliveryRow; contact: ContactRow; channel: string; address: string; failure: Failure; at: number }): Promise<void> {
  const { db } = deps;
  if (a.channel === 'telegram' && a.failure.code === 'blocked') {
    const emit = async (contactId: string, name: string, properties: Record<string, unknown>) =>
      storeObservedEvent(deps, contactId, name, properties, `tg:blocked:${a.address}:${a.row.id}`);
    await markTelegramBlocked({ db, emit }, a.contact.id, a.address, a.at);
    return;
  }
  if (a.channel === 'push' && a.failure.code === 'invalid_address') {
    // The push service forgot the subscription (404/410): forget it too, so later touches fall back at once.
    if (await removePushSubscription(db, a.address)) {
      await storeObservedEvent(deps, a.contact.id, 'push.expired', { subscriptionId: a.address, funnelId: a.row.funnel_id, touchId: a.row.touch_id }, `push:expired:${a.address}`);
    }
    return;
  }
  if (a.channel === 'vk' && a.failure.code === 'blocked') {
    const emit = async (contactId: string, name: string, properties: Record<string, unknown>) =>
      storeObservedEvent(deps, contactId, name, properties, `vk:blocked:${a.address}:${a.row.id}`);
    await markVkBlocked({ db, emit }, a.contact.id, a.address, a.at, a.failure.reason);
    return;
  }
  if (a.failure.code === 'bounced' || a.failure.code === 'invalid_address') {
    await suppress(db, { channel: a.channel, address: a.address, reason: a.failure.code, at: a.at });
  }
}
