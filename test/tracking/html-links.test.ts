import { describe, expect, it } from 'vitest';
import { htmlLinks, insertBeforeBodyEnd, rewriteHtmlLinks } from '../../src/tracking/html-links';
import { rewriteTextLinks, textLinks } from '../../src/tracking/text-links';
import { withUtm } from '../../src/tracking/utm';

const toX = (url: string) => (url.startsWith('http') ? `X(${url})` : undefined);

describe('tracking/html-links', () => {
  it('rewrites href of anchors only, decoding entities and keeping everything else byte for byte', () => {
    const html = '<p title="href=https://no.example/">Hi <A class=b HREF = \'https://a.example/?x=1&amp;y=2\'>a</A>'
      + '<a href=https://b.example/u>b</a><link href="https://css.example/s.css"><img src="https://img.example/i.png">'
      + '<script>var s = "<a href=\'https://js.example/\'>";</script><a href="mailto:x@y.z">m</a><a name=top>t</a></p>';
    const out = rewriteHtmlLinks(html, toX);
    expect(out).toBe('<p title="href=https://no.example/">Hi <A class=b HREF = "X(https://a.example/?x=1&amp;y=2)">a</A>'
      + '<a href="X(https://b.example/u)">b</a><link href="https://css.example/s.css"><img src="https://img.example/i.png">'
      + '<script>var s = "<a href=\'https://js.example/\'>";</script><a href="mailto:x@y.z">m</a><a name=top>t</a></p>');
    expect(htmlLinks(html)).toEqual(['https://a.example/?x=1&y=2', 'https://b.example/u', 'mailto:x@y.z']);
  });

  it('rewrites buttons inside Outlook conditional comments, leaves ordinary comments alone', () => {
    const html = '<!-- <a href="https://comment.example/"> --><!--[if mso]><v:roundrect href="https://mso.example/">b</v:roundrect><![endif]-->';
    expect(rewriteHtmlLinks(html, toX)).toBe('<!-- <a href="https://comment.example/"> --><!--[if mso]><v:roundrect href="X(https://mso.example/)">b</v:roundrect><![endif]-->');
  });

  it('puts a snippet before the last </body>, or at the end without one', () => {
    expect(insertBeforeBodyEnd('<html><body><p>x</p></BODY></html>', '<img>')).toBe('<html><body><p>x</p><img></BODY></html>');
    expect(insertBeforeBodyEnd('<p>x</p><!-- </body> -->', '<img>')).toBe('<p>x</p><!-- </body> --><img>');
  });
});

describe('tracking/text-links', () => {
  it('finds bare URLs and leaves sentence punctuation and brackets outside', () => {
    const text = 'Урок: https://school.example/lesson-1. См. (https://a.example/x_(y)) и <https://b.example/?q=1>, https://школа.рф/курс!';
    expect(textLinks(text)).toEqual(['https://school.example/lesson-1', 'https://a.example/x_(y)', 'https://b.example/?q=1', 'https://школа.рф/курс']);
    expect(rewriteTextLinks(text, (u) => `[${u.length}]`)).toBe('Урок: [31]. См. ([23]) и <[22]>, [21]!');
  });
});

describe('tracking/utm', () => {
  it('adds UTM tags, keeps existing parameters (an explicit utm_* wins) and the fragment', () => {
    expect(withUtm('https://a.example/p?x=1#top', { source: 'email', campaign: 'весна' }))
      .toBe('https://a.example/p?x=1&utm_source=email&utm_campaign=%D0%B2%D0%B5%D1%81%D0%BD%D0%B0#top');
    expect(withUtm('https://a.example/', { source: 'email', medium: 'drip' })).toBe('https://a.example/?utm_source=email&utm_medium=drip');
    expect(withUtm('https://a.example/?utm_source=vk', { source: 'email', term: 't' })).toBe('https://a.example/?utm_source=vk&utm_term=t');
    expect(withUtm('https://a.example/?x=1', false)).toBe('https://a.example/?x=1');
  });
});
