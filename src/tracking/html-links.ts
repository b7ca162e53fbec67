import { QuoteType, Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** Decides what a link becomes: the new URL, or undefined to leave it as it is. */
export type LinkReplacer = (url: string) => string | undefined;

/** One `href` value found by the tokenizer: its raw span in the source (quotes included) and its decoded URL. */
interface HrefSpan {
  start: number;
  end: number;
  url: string;
}

/** Tags whose `href` is a link the reader clicks: anchors, image-map areas and Outlook's VML buttons (`v:roundrect`, …). */
function isLinkTag(name: string): boolean {
  return name === 'a' || name === 'area' || name.startsWith('v:');
}

/** Scans HTML with htmlparser2's tokenizer (so comments, scripts, styles and other attributes are never mistaken for links). */
function scan(html: string): { hrefs: HrefSpan[]; comments: Array<{ start: number; end: number }>; bodyEnd: number | null } {
  const hrefs: HrefSpan[] = [];
  const comments: Array<{ start: number; end: number }> = [];
  let bodyEnd: number | null = null;
  let tag = '';
  let attr = '';
  let attrNameEnd = 0;
  let value = '';
  const noop = () => undefined;
  const cbs: TokenizerCallbacks = {
    onopentagname: (start, end) => { tag = html.slice(start, end).toLowerCase(); },
    onattribname: (start, end) => { attr = html.slice(start, end).toLowerCase(); attrNameEnd = end; value = ''; },
    onattribdata: (start, end) => { value += html.slice(start, end); },
    onattribentity: (codepoint) => { value += String.fromCodePoint(codepoint); },
    onattribend: (quote, endIndex) => {
      if (attr !== 'href' || !isLinkTag(tag) || quote === QuoteType.NoValue) return;
      // The value starts after `=` and optional whitespace; a quoted one includes its quotes in the span.
      let start = html.indexOf('=', attrNameEnd) + 1;
      while (/\s/.test(html[start] ?? '')) start++;
      hrefs.push({ start, end: endIndex, url: value });
    },
    oncomment: (start, endIndex, endOffset) => {
      // Conditional comments (`<!--[if mso]> … <![endif]-->`) hold real markup Outlook renders.
      if (/^\[if\b/i.test(html.slice(start, start + 4))) comments.push({ start, end: endIndex - endOffset });
    },
    onclosetag: (start, end) => {
      if (html.slice(start, end).toLowerCase() === 'body') bodyEnd = html.lastIndexOf('<', start);
    },
    onopentagend: noop, onselfclosingtag: noop, oncdata: noop, ondeclaration: noop, onend: noop,
    onprocessinginstruction: noop, ontext: noop, ontextentity: noop,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, cbs);
  tokenizer.write(html);
  tokenizer.end();
  return { hrefs, comments, bodyEnd };
}

/** Escapes a URL for a double-quoted attribute value. */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Rewrites the `href` of every link in `html` for which `replace` returns a URL (entities decoded before it is asked,
 * the new value written double-quoted and escaped); everything else, byte for byte, stays as it was.
 * Markup inside conditional comments is rewritten too, so an Outlook-only button cannot leak its target.
 */
export function rewriteHtmlLinks(html: string, replace: LinkReplacer): string {
  const { hrefs, comments } = scan(html);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const h of hrefs) {
    const next = replace(h.url.trim());
    if (next !== undefined) edits.push({ start: h.start, end: h.end, text: `"${attr(next)}"` });
  }
  for (const c of comments) {
    const inner = html.slice(c.start, c.end);
    const rewritten = rewriteHtmlLinks(inner, replace);
    if (rewritten !== inner) edits.push({ start: c.start, end: c.end, text: rewritten });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += html.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + html.slice(at);
}

/** Every link URL in `html` (decoded, trimmed, conditional comments included). */
export function htmlLinks(html: string): string[] {
  const found: string[] = [];
  rewriteHtmlLinks(html, (url) => { found.push(url); return undefined; });
  return found;
}

/** `html` with `snippet` placed just before the closing `</body>` tag, or appended when there is none. */
export function insertBeforeBodyEnd(html: string, snippet: string): string {
  const { bodyEnd } = scan(html);
  return bodyEnd === null || bodyEnd < 0 ? html + snippet : html.slice(0, bodyEnd) + snippet + html.slice(bodyEnd);
}
