import type { AskStep, FallbackContent, TelegramButtonSpec } from '../dsl/plan';

/** The query parameter an email answer's link carries: `af_answer=<option id or number>`. */
export const ANSWER_PARAM = 'af_answer';

/** The link text of a free-text email ask's answer page. */
const PAGE_ANSWER_LABEL = 'Написать ответ';

/** The answers an ask offers, as (id, label) pairs: its options, or the numbers of its scale. */
export function askChoices(ask: Pick<AskStep, 'options' | 'scale'>): Array<{ id: string; text: string }> {
  if (ask.scale) {
    const out: Array<{ id: string; text: string }> = [];
    for (let n = ask.scale.from; n <= ask.scale.to; n += 1) out.push({ id: String(n), text: String(n) });
    return out;
  }
  return (ask.options ?? []).map((o) => ({ id: o.id, text: o.text }));
}

/** An answer link: the ask's `answerUrl` with `af_answer=<id>` added (tracked like every link of the email). */
export function answerLink(answerUrl: string, id: string): string {
  const url = new URL(answerUrl);
  url.searchParams.set(ANSWER_PARAM, id);
  return url.toString();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * What an ask sends: in Telegram its text with one button per option (a scale of up to six numbers in one row, a
 * longer one in two), none for a free-text question; by email the text with one tracked link per answer, and for free
 * text a link to the ask's answer page.
 */
export function askContent(ask: AskStep): FallbackContent {
  const choices = askChoices(ask);
  if (ask.via === 'telegram') {
    const buttons: TelegramButtonSpec[][] = ask.scale
      ? (choices.length > 6 ? [choices.slice(0, Math.ceil(choices.length / 2)), choices.slice(Math.ceil(choices.length / 2))] : [choices])
      : choices.map((c) => [c]);
    return { channel: 'telegram', text: ask.text, ...(ask.parseMode && { parseMode: ask.parseMode }), ...(choices.length > 0 && { buttons }) };
  }
  const links = choices.map((c) => ({ ...c, url: answerLink(ask.answerUrl!, c.id) }));
  // Free text is written on the ask's answer page (a template: the contact's own link).
  const page = ask.freeText === true ? `{{ links.asks.${ask.id} }}` : null;
  const html = `<p>${ask.text}</p>\n${links.length > 0 ? `<p>${links.map((l) => `<a href="${escapeHtml(l.url)}">${l.text}</a>`).join(ask.scale ? ' ' : '<br>\n')}</p>` : ''}`
    + (page ? `${links.length > 0 ? '\n' : ''}<p><a href="${page}">${PAGE_ANSWER_LABEL}</a></p>` : '');
  const text = `${ask.text}\n\n${[...links.map((l) => `${l.text}: ${l.url}`), ...(page ? [`${PAGE_ANSWER_LABEL}: ${page}`] : [])].join('\n')}`;
  return { channel: 'email', subject: ask.subject ?? '', html, text };
}
