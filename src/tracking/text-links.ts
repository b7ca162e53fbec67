import type { LinkReplacer } from './html-links';

// A URL runs to the next whitespace, quote, angle bracket or guillemet; trailing sentence punctuation is trimmed below.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`«»\u200B]+/giu;
const TRAILING = /[.,;:!?…]+$/u;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The URL without punctuation that belongs to the sentence around it (a final period, an unbalanced closing bracket). */
function trimTrailing(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(TRAILING, '');
    const last = u.at(-1) ?? '';
    const open = PAIRS[last];
    if (open && count(u, open) < count(u, last)) u = u.slice(0, -1);
    if (u === before) return u;
  }
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/**
 * Rewrites every bare http(s) URL in a plain-text body for which `replace` returns a URL; the sentence around it
 * (a closing period, bracket or comma) stays outside the link.
 */
export function rewriteTextLinks(text: string, replace: LinkReplacer): string {
  return text.replace(URL_IN_TEXT, (match) => {
    const url = trimTrailing(match);
    const next = url.length > 'https://'.length ? replace(url) : undefined;
    return next === undefined ? match : next + match.slice(url.length);
  });
}

/** Every bare http(s) URL in a plain-text body. */
export function textLinks(text: string): string[] {
  const found: string[] = [];
  rewriteTextLinks(text, (url) => { found.push(url); return undefined; });
  return found;
}
