import type { AskStep } from '../dsl/plan';
import type { ContactRow, EnrollmentRow } from '../db/schema';
import type { PageDeps } from './deps';
import { walkSteps } from '../dsl/plan';
import { findContact } from '../db/contacts';
import { getPlanVersion } from '../db/funnels';
import { ingestEvent } from '../engine/ingest-event';
import { renderTemplate, templateContext } from '../templates/render';
import { askChoices } from '../activities/ask-content';
import { latestEnrollment } from './page-ledger';
import { verifyAnswerToken } from './answer-url';

/** The longest free-text answer a page takes. */
export const MAX_PAGE_ANSWER = 2000;

/** An ask's answer page as one contact opens it. */
export interface OpenAsk {
  contact: ContactRow;
  enrollment: EnrollmentRow;
  ask: AskStep;
  /** The question, rendered for the contact (plain text). */
  question: string;
  choices: Array<{ id: string; text: string }>;
  /** Whether the enrollment waits for this answer now; otherwise the page says the question is closed. */
  open: boolean;
}

/**
 * The ask the signed link names, for the contact it names, in the version their latest enrollment in the funnel runs.
 * Null — nothing to show — for a forged or foreign token, an unknown funnel, contact or ask, or a contact never enrolled.
 */
export async function openAsk(deps: PageDeps, funnelId: string, askId: string, token: string | undefined): Promise<OpenAsk | null> {
  const contactId = verifyAnswerToken(deps.secretKey, funnelId, askId, token);
  const contact = contactId ? await findContact(deps.db, { contactId }) : undefined;
  if (!contact) return null;
  const enrollment = await latestEnrollment(deps.db, funnelId, contact.id);
  if (!enrollment) return null;
  const plan = await getPlanVersion(deps.db, funnelId, enrollment.version).catch(() => undefined);
  const ask = plan ? [...walkSteps(plan.steps)].find((s): s is AskStep => s.type === 'ask' && s.id === askId) : undefined;
  if (!plan || !ask) return null;
  const ctx = templateContext(contact, null, { id: plan.id, name: plan.name }, ask.id);
  const question = (await renderTemplate(ask.text, ctx, 'text')).trim();
  const open = enrollment.status === 'active' && enrollment.current_step === ask.id;
  return { contact, enrollment, ask, question, choices: askChoices(ask), open };
}

/** What a submitted answer came to. */
export type PageAnswerResult =
  | { status: 'accepted'; answer: string }
  | { status: 'closed' }
  | { status: 'invalid'; reason: string };

/**
 * Takes an answer from the page's form: `answer=<option id or number>` for an ask with options or a scale, `text=…`
 * for a free-text one. It is stored as the event the waiting ask accepts (`<askId>.clicked {button}` or
 * `<askId>.replied {text}`, with `via: 'page'`), so the enrollment records it in the answers table and goes on; one
 * answer per enrollment and ask (a second post is a duplicate). An ask not waiting any more takes nothing.
 */
export async function submitPageAnswer(deps: PageDeps, open: OpenAsk, fields: Record<string, unknown>): Promise<PageAnswerResult> {
  if (!open.open) return { status: 'closed' };
  const { ask, enrollment, contact } = open;
  const idempotencyKey = `page-answer:${enrollment.id}:${ask.id}`;
  const picked = typeof fields.answer === 'string' ? fields.answer.trim() : '';
  const text = typeof fields.text === 'string' ? fields.text.trim() : '';
  if (picked !== '') {
    const choice = open.choices.find((c) => c.id === picked);
    if (!choice) return { status: 'invalid', reason: 'not_an_option' };
    await ingestEvent(deps, { contactId: contact.id, name: `${ask.id}.clicked`, properties: { button: choice.id, via: 'page' }, idempotencyKey });
    return { status: 'accepted', answer: choice.text };
  }
  if (ask.freeText !== true) return { status: 'invalid', reason: 'no_answer' };
  if (text === '') return { status: 'invalid', reason: 'no_answer' };
  if (text.length > MAX_PAGE_ANSWER) return { status: 'invalid', reason: 'too_long' };
  await ingestEvent(deps, { contactId: contact.id, name: `${ask.id}.replied`, properties: { text, via: 'page' }, idempotencyKey });
  return { status: 'accepted', answer: text };
}
