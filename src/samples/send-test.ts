import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EmailChannel, SendResult, SmsChannel, TelegramButton, TelegramChannel } from '../channels/channel';
import type { Db } from '../db/database';
import type { VersionedPlan } from '../db/funnels';
import type { TouchStep } from '../dsl/plan';
import { touchesOf } from '../dsl/plan';
import { EmailAddress, PhoneNumber } from '../contacts/input';
import { findContact } from '../db/contacts';
import { NotFoundError, SendFailedError, ValidationError } from '../errors';
import { renderTemplate } from '../templates/render';
import { escapeTelegramMarkdownV2, renderTelegramText } from '../channels/telegram/render';
import { callbackData } from '../channels/telegram/callback-data';
import { createSmsOutbox, createTelegramOutbox } from '../channels/outbox';
import { candidatesOf, type Candidate } from '../activities/touch-candidates';
import { renderButtons } from '../activities/deliver-candidate';
import { icsAttachment } from '../webinars/ics';
import { sampleContact, sampleContext, type SampleContextDeps } from './sample-context';
import { testDeliveryId } from './test-delivery-id';

/** How a test message says what it is: the subject's, the SMS's and the Telegram message's first word. */
export const TEST_MARK = '[Тест]';

/** The body of `POST /api/funnels/:id/touches/:touchId/test`: exactly one address, and optionally whose data to use. */
export const TestSendRequest = z.object({
  to: z.object({
    email: EmailAddress.optional(),
    phone: PhoneNumber.optional(),
    telegramChatId: z.union([z.string().regex(/^-?\d{1,20}$/, 'a Telegram chat id is a number'), z.number().int()]).transform(String).optional(),
  }).strict().meta({ oneOf: [{ required: ['email'] }, { required: ['phone'] }, { required: ['telegramChatId'] }] }),
  contactId: z.string().min(1).optional(),
}).strict();
export type TestSendRequest = z.infer<typeof TestSendRequest>;

/** What a test send needs: the channels the engine sends through, and how links are made. */
export interface TestSendDeps extends SampleContextDeps {
  db: Db;
  email: EmailChannel;
  sms?: SmsChannel | undefined;
  telegram?: TelegramChannel | undefined;
  mailFrom: string;
  now: () => number;
}

/** What a test send answers. */
export interface TestSendResult {
  funnelId: string;
  touchId: string;
  channel: 'email' | 'sms' | 'telegram';
  to: string;
  /** The rendered subject (email) or text (SMS, Telegram), test mark included. */
  subject: string | null;
  text: string | null;
  status: 'delivered' | 'sent' | 'outbox';
  providerMessageId: string;
}

const CHANNEL_OF = { email: 'email', phone: 'sms', telegramChatId: 'telegram' } as const;

/** The one address of the request, checked and normalised; 422 for none, several or a bad one. */
function address(to: TestSendRequest['to']): { channel: 'email' | 'sms' | 'telegram'; address: string } {
  const given = Object.entries(to).filter(([, v]) => v !== undefined) as Array<[keyof typeof CHANNEL_OF, string]>;
  if (given.length !== 1) throw new ValidationError('give exactly one address: to.email, to.phone or to.telegramChatId', [{ path: 'to', message: 'exactly one of email, phone, telegramChatId' }]);
  const [key, value] = given[0]!;
  // Checked here as well as by the schema: the dashboard's form hands its fields in as they were typed.
  const parsed = key === 'email' ? EmailAddress.safeParse(value) : key === 'phone' ? PhoneNumber.safeParse(value) : z.string().regex(/^-?\d{1,20}$/).safeParse(value);
  if (!parsed.success) throw new ValidationError(`to.${key} is not a valid ${key === 'telegramChatId' ? 'Telegram chat id' : key}`, [{ path: `to.${key}`, message: parsed.error.issues[0]?.message ?? 'invalid' }]);
  return { channel: CHANNEL_OF[key], address: key === 'email' ? String(parsed.data).toLowerCase() : String(parsed.data) };
}

/** The touch's content for the channel asked for (its own or a fallback); 422 when it has none there. */
function candidateFor(touch: TouchStep, channel: Candidate['channel']): Candidate {
  const all = candidatesOf(touch);
  const found = all.find((c) => c.channel === channel);
  if (!found) {
    const has = [...new Set(all.map((c) => c.channel))].join(', ');
    throw new ValidationError(`touch '${touch.id}' has no ${channel} content (it goes out by ${has}): send the test to such an address`, [{ path: 'to', message: `use ${has}` }]);
  }
  return found;
}

/**
 * Renders one touch of a funnel for a sample contact (or the given one) and sends it through the configured channel to
 * the given address only, marked «[Тест]». Nothing is written to the ledger, the stats or the contact (a dev-outbox
 * channel stores it in the outbox, marked as a test); links lead to the sample contact, tracking is off.
 */
export async function sendTestTouch(deps: TestSendDeps, funnel: VersionedPlan, touchId: string, body: TestSendRequest): Promise<TestSendResult> {
  const { plan } = funnel;
  const touch = touchesOf(plan.steps).find((t) => t.id === touchId);
  if (!touch) {
    if (plan.pages?.some((p) => p.id === touchId)) throw new ValidationError(`'${touchId}' is a page: it is visited, not sent — open /p/${plan.id}/${touchId}`);
    throw new NotFoundError('touch', touchId);
  }
  const to = address(body.to);
  const candidate = candidateFor(touch, to.channel);
  const now = deps.now();
  let contact = sampleContact(plan, { [to.channel === 'email' ? 'email' : to.channel === 'sms' ? 'phone' : 'telegramChatId']: to.address }, now);
  if (body.contactId !== undefined) {
    const found = await findContact(deps.db, { contactId: body.contactId });
    if (!found) throw new NotFoundError('contact', body.contactId);
    contact = found;
  }
  const { ctx, sessions } = await sampleContext(deps, { plan, touch, contact, now });
  const deliveryId = testDeliveryId(plan.id, touch.id, randomBytes(6).toString('hex'));
  let result: SendResult;
  let subject: string | null = null;
  let text: string | null = null;
  try {
    switch (candidate.channel) {
      case 'email': {
        subject = `${TEST_MARK} ${(await renderTemplate(candidate.subject, ctx, 'text')).trim()}`;
        const html = candidate.html === undefined ? undefined : await renderTemplate(candidate.html, ctx, 'html');
        text = candidate.text === undefined ? null : `${TEST_MARK}\n${await renderTemplate(candidate.text, ctx, 'text')}`;
        const invite = candidate.webinar ? sessions[candidate.webinar] : undefined;
        result = await deps.email.send({
          to: to.address, from: deps.mailFrom, subject, html, text: text ?? undefined, headers: { 'X-Autofunnel-Test': `${plan.id}/${touch.id}` },
          ...(invite && { attachments: [icsAttachment(invite.row, invite.session, { url: invite.row.join_url })] }),
        }, { deliveryId });
        break;
      }
      case 'sms':
        text = `${TEST_MARK} ${(await renderTemplate(candidate.text, ctx, 'text')).trim()}`;
        result = await (deps.sms ?? createSmsOutbox(deps.db)).send({ to: to.address, text }, { deliveryId });
        break;
      case 'telegram': {
        const parseMode = candidate.parseMode ?? 'HTML';
        const mark = parseMode === 'MarkdownV2' ? escapeTelegramMarkdownV2(TEST_MARK) : TEST_MARK;
        text = `${mark}\n${await renderTelegramText(candidate.text, ctx, parseMode)}`;
        const rows = candidate.buttons ? await renderButtons(candidate.buttons, ctx) : [];
        // Test buttons are not tracked: URL buttons open their target, the others press back into nothing.
        const buttons: TelegramButton[][] = rows.map((r) => r.map((b) => (b.url ? { text: b.text, url: b.url } : { text: b.text, callbackData: callbackData('test', b.id) })));
        result = await (deps.telegram ?? createTelegramOutbox(deps.db)).send({
          chatId: to.address, text, ...(parseMode !== 'text' && { parseMode }), photo: candidate.photo, document: candidate.document,
          ...(buttons.length > 0 && { buttons }),
        }, { deliveryId });
        break;
      }
      case 'push':
        // A test goes to an address given in the request; a browser subscription is not one (to is email, phone or chat).
        throw new ValidationError(`touch '${touch.id}': push content has no test address`);
      case 'vk':
        throw new ValidationError(`touch '${touch.id}': test sends to VK are not supported; use a test contact bound to VK`);
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(`touch '${touch.id}' does not render: ${(err as Error).message}`);
  }
  if (!result.ok) throw new SendFailedError(`the ${to.channel} channel did not take the test message: ${result.reason}`, { channel: to.channel, retryable: result.retryable });
  return { funnelId: plan.id, touchId: touch.id, channel: to.channel, to: to.address, subject, text, status: result.status, providerMessageId: result.providerMessageId };
}
