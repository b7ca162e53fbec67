import { ApplicationFailure } from '@temporalio/activity';
import type { Scalar, WebhookStep, NotifyStep, Step } from '../dsl/plan';
import type { SendTouchDeps } from './send-deps';
import type { AnswerKind } from '../db/schema-answers';
import { allPlanSteps } from '../dsl/plan';
import { findContact, setContactAttribute } from '../db/contacts';
import { getPlanVersion } from '../db/funnels';
import { parseJsonObject } from '../db/json';
import { storeAnswer } from '../db/answers';
import { finishDelivery, openDelivery } from '../db/deliveries';
import { logTouch } from '../db/touch-log';
import { FINAL_DELIVERY_STATUSES } from '../../workflows/statuses';
import { postSignedJson, webhookSigningSecret, type TeamNotifier } from '../handoff/index';
import { contactHref } from '../http/dashboard/query';
import { renderTemplate, templateContext } from '../templates/render';
import { storeObservedEvent } from './observed-event';
import { currentContactId } from '../contacts/contact-merges';

/** Which enrollment, funnel version and step an action runs for. */
export interface StepRef {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  version: string;
  stepId: string;
  at: number;
  /** The stored event a funnel-level subscription (`on`) ran the step for: it goes into the webhook's payload. */
  eventId?: string | undefined;
}

/** An ask's answer as the workflow resolved it. */
export interface AnswerRecord extends StepRef {
  kind: AnswerKind;
  value: string | number;
  score: number | null;
  saveAs?: string | undefined;
  quiz: boolean;
  commentOf?: string | undefined;
}

/** The channel a webhook step is recorded under in the ledger. */
export const WEBHOOK_CHANNEL = 'webhook';

async function stepOf<T extends Step['type']>(deps: SendTouchDeps, ref: StepRef, type: T): Promise<{ step: Extract<Step, { type: T }>; name: string }> {
  const plan = await (deps.plans ? deps.plans(ref.funnelId, ref.version) : getPlanVersion(deps.db, ref.funnelId, ref.version));
  const step = [...allPlanSteps(plan)].find((s) => s.id === ref.stepId && s.type === type);
  if (!step) throw ApplicationFailure.create({ message: `${ref.funnelId}@${ref.version} has no ${type} step ${JSON.stringify(ref.stepId)}`, type: 'UnknownStep', nonRetryable: true });
  return { step: step as Extract<Step, { type: T }>, name: plan.name };
}

/** The activities of the steps that act instead of sending: answers, attributes, webhooks, team notifications. */
export function createFunnelActionActivities(deps: SendTouchDeps & { webhookSecret?: string | undefined; team?: TeamNotifier | null | undefined }) {
  const { db } = deps;
  return {
    /**
     * Records an ask's answer once per (enrollment, ask): stored for the quiz score and NPS, saved to the contact's
     * `saveAs` attribute, and emitted as `<askId>.answered { value, score }`. Idempotent (a retry changes nothing).
     */
    async recordAnswer(a: AnswerRecord): Promise<void> {
      const contactId = await currentContactId(db, a.contactId);
      await storeAnswer(db, {
        enrollmentId: a.enrollmentId, askId: a.stepId, funnelId: a.funnelId, contactId, kind: a.kind, value: String(a.value),
        score: a.score, commentOf: a.commentOf ?? null, quiz: a.quiz, at: a.at,
      });
      if (a.saveAs !== undefined) await setContactAttribute(db, contactId, a.saveAs, a.value, a.at);
      await storeObservedEvent(deps, contactId, `${a.stepId}.answered`, { value: a.value, score: a.score, funnelId: a.funnelId }, `answer:${a.enrollmentId}:${a.stepId}`);
    },

    /** Writes the contact attribute a `setAttribute` / `tag` step names (null removes it). */
    async setAttribute(input: { contactId: string; key: string; value: Scalar | null; at: number }): Promise<void> {
      await setContactAttribute(db, input.contactId, input.key, input.value, input.at);
    },

    /**
     * Posts a webhook step's signed payload, recorded in the ledger like a touch (channel `webhook`, once per
     * enrollment and step): `delivered` with `http:<status>` on a 2xx; a 408/429/5xx/timeout throws so Temporal retries it
     * with backoff (every attempt posts the same delivery id); another 4xx is `failed` for good.
     */
    async postWebhook(ref: StepRef): Promise<{ status: string; code: number | null }> {
      const { step, name } = await stepOf(deps, ref, 'webhook');
      const row = await openDelivery(db, {
        enrollmentId: ref.enrollmentId, funnelId: ref.funnelId, contactId: ref.contactId, touchId: step.id, channel: WEBHOOK_CHANNEL,
        scheduledAt: ref.at, createdAt: Date.now(), priority: 0, variant: null,
      });
      if ((FINAL_DELIVERY_STATUSES as readonly string[]).includes(row.status)) return { status: row.status, code: null };
      const payload = await webhookPayload(deps, ref, step, name);
      const result = await postSignedJson({ url: step.url, payload, secret: webhookSigningSecret(deps.webhookSecret, deps.secretKey), deliveryId: row.id });
      const now = Date.now();
      if (result.ok) {
        await finishDelivery(db, row.id, 'delivered', { channel: WEBHOOK_CHANNEL, result: { providerMessageId: `http:${result.status}` }, at: now });
        return { status: 'delivered', code: result.status };
      }
      if (result.retryable) throw ApplicationFailure.create({ message: `webhook ${step.id}: ${result.reason}`, type: 'WebhookRetry' });
      await finishDelivery(db, row.id, 'failed', { channel: WEBHOOK_CHANNEL, reason: result.reason, at: now });
      await logTouch(db, row, { kind: 'failed', reason: result.reason, channel: WEBHOOK_CHANNEL, at: now });
      return { status: 'failed', code: result.status };
    },

    /** Sends a notify step's message to the team with the contact's card link; retried while a destination refuses for now. */
    async notifyTeam(ref: StepRef): Promise<{ sent: number }> {
      const { step, name } = await stepOf(deps, ref, 'notify');
      if (!deps.team) return { sent: 0 };
      const { subject, text } = await notifyContent(deps, ref, step, name);
      const results = await deps.team.notify({ subject, text, contactId: await currentContactId(db, ref.contactId) }, `notify:${ref.enrollmentId}:${step.id}`);
      if (results.some((r) => !r.ok && r.retryable)) {
        throw ApplicationFailure.create({ message: `notify ${step.id}: ${results.filter((r) => !r.ok).map((r) => r.reason).join('; ')}`, type: 'NotifyRetry' });
      }
      return { sent: results.filter((r) => r.ok).length };
    },
  };
}

async function contactRow(deps: SendTouchDeps, contactId: string) {
  const contact = await findContact(deps.db, { contactId: await currentContactId(deps.db, contactId) });
  if (!contact) throw ApplicationFailure.create({ message: `contact ${contactId} is gone`, type: 'UnknownContact', nonRetryable: true });
  return contact;
}

/** The hand-off payload: the event name, the funnel, the step, the contact (with its card link), the step's data. */
async function webhookPayload(deps: SendTouchDeps, ref: StepRef, step: WebhookStep, funnelName: string) {
  const c = await contactRow(deps, ref.contactId);
  return {
    event: step.event ?? 'funnel.webhook',
    funnel: { id: ref.funnelId, name: funnelName, version: ref.version },
    step: { id: step.id },
    enrollment: { id: ref.enrollmentId },
    contact: {
      id: c.id, name: c.name, email: c.email, phone: c.phone, telegramChatId: c.telegram_chat_id,
      attributes: parseJsonObject(c.attributes), card: `${deps.publicUrl.replace(/\/$/, '')}${contactHref(c.id)}`,
    },
    data: step.data ?? {},
    ...(ref.eventId !== undefined && { triggeredBy: await triggeringEvent(deps, ref.eventId) }),
    sentAt: new Date(ref.at).toISOString(),
  };
}

/** The event a subscription fired on, as the payload carries it (`triggeredBy`); null when it is gone (erased). */
async function triggeringEvent(deps: SendTouchDeps, eventId: string) {
  const row = await deps.db.selectFrom('events').select(['id', 'name', 'properties', 'value', 'occurred_at']).where('id', '=', eventId).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, name: row.name, properties: parseJsonObject(row.properties), value: row.value === null ? null : Number(row.value), occurredAt: new Date(Number(row.occurred_at)).toISOString() };
}

async function notifyContent(deps: SendTouchDeps, ref: StepRef, step: NotifyStep, funnelName: string) {
  const contact = await contactRow(deps, ref.contactId);
  const ctx = templateContext(contact, null, { id: ref.funnelId, name: funnelName }, step.id);
  return { subject: (await renderTemplate(step.subject, ctx, 'text')).trim(), text: (await renderTemplate(step.text, ctx, 'text')).trim() };
}
