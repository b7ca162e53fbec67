import { Liquid } from 'liquidjs';
import { renderLiquid } from '../../templates/render';

/** How a Telegram message's text is marked up: HTML, MarkdownV2, or plain text (no parse_mode). */
export type TelegramTextMode = 'HTML' | 'MarkdownV2' | 'text';

/** Escapes text for Telegram's HTML parse mode: `&`, `<`, `>` and `"` (the last one matters inside attributes). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

// Telegram's list for MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style), plus the backslash itself.
const MARKDOWN_V2_SPECIAL = /[_*[\]()~`>#+\-=|{}.!\\]/g;

/**
 * Escapes text for MarkdownV2: every character Telegram reserves gets a backslash. Telegram treats `\x` as a plain
 * `x` everywhere (also inside code and link URLs), so the result is safe in any position of a template.
 */
export function escapeTelegramMarkdownV2(text: string): string {
  return text.replace(MARKDOWN_V2_SPECIAL, (c) => `\\${c}`);
}

/** Liquid's own output stringification: nil is empty, arrays are concatenated. */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

const engines: Record<TelegramTextMode, Liquid> = {
  HTML: new Liquid({ outputEscape: (v: unknown) => escapeTelegramHtml(stringify(v)), cache: 500 }),
  MarkdownV2: new Liquid({ outputEscape: (v: unknown) => escapeTelegramMarkdownV2(stringify(v)), cache: 500 }),
  text: new Liquid({ cache: 500 }),
};

/**
 * Renders a Liquid template for a Telegram message: every `{{ output }}` is escaped for the parse mode (a contact
 * named `<b>Ivan_*</b>` shows as typed and never breaks the markup), while the template's own markup is kept as
 * written. `'text'` escapes nothing (the message goes out without parse_mode). `| raw` opts a trusted value out.
 * Throws TemplateError for Liquid that does not parse or render.
 */
export async function renderTelegramText(template: string, ctx: object, parseMode: TelegramTextMode): Promise<string> {
  return renderLiquid(engines[parseMode], template, ctx as Record<string, unknown>);
}
