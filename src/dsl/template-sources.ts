import type { Plan, TelegramButtonSpec, TouchStep } from './plan';
import { touchesOf, walkSteps } from './plan';

/**
 * What a template can see where it is rendered: a touch (contact, event, funnel, links, the contact's webinar
 * sessions), a webinar invite (the same plus `webinar.*` of the invited webinar) or a page (no webinars, no
 * unsubscribe link).
 */
export type TemplateScope = 'touch' | 'invite' | 'page';

/** One Liquid template of a funnel: where it lives (step or page id, and the field to quote) and what it can see. */
export interface TemplateSource {
  stepId: string;
  field: string;
  source: string;
  scope: TemplateScope;
}

const CONTENT_FIELDS = ['subject', 'preheader', 'html', 'text', 'title', 'body', 'url', 'icon'] as const;

function buttonSources(prefix: string, rows: TelegramButtonSpec[][] | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  rows?.forEach((row, r) => row.forEach((b, c) => {
    out.push([`${prefix}buttons[${r}][${c}].text`, b.text]);
    if (b.url !== undefined) out.push([`${prefix}buttons[${r}][${c}].url`, b.url]);
  }));
  return out;
}

/** The templates of one piece of content (a touch or a fallback): subject, preheader, html, text, push title/body/url/icon, button texts and URLs, VK attachments. */
function contentSources(prefix: string, content: object): Array<[string, string]> {
  const record = content as Record<string, unknown>;
  const out: Array<[string, string]> = [];
  for (const field of CONTENT_FIELDS) if (typeof record[field] === 'string') out.push([`${prefix}${field}`, record[field] as string]);
  const attachments = Array.isArray(record.attachments) ? (record.attachments as string[]).map((a, i): [string, string] => [`${prefix}attachments[${i}]`, a]) : [];
  return [...out, ...buttonSources(prefix, record.buttons as TelegramButtonSpec[][] | undefined), ...attachments];
}

/** Every template of a touch, its fallbacks' included (an invite's fallbacks invite too). */
function touchSources(touch: TouchStep): TemplateSource[] {
  const scope: TemplateScope = touch.type === 'webinarInvite' ? 'invite' : 'touch';
  const pairs = [
    ...contentSources('', touch),
    ...(touch.type === 'ask' ? (touch.options ?? []).map((o, i): [string, string] => [`options[${i}].text`, o.text]) : []),
    ...(touch.fallback ?? []).flatMap((f, i) => contentSources(`fallback[${i}] (${f.channel}) `, f)),
  ];
  return pairs.map(([field, source]) => ({ stepId: touch.id, field, source, scope }));
}

/** Every Liquid template of a plan, in document order: touches (with fallbacks and buttons), then pages. */
export function templateSources(plan: Pick<Plan, 'steps' | 'pages'>): TemplateSource[] {
  return [
    ...touchesOf(plan.steps).flatMap(touchSources),
    ...[...walkSteps(plan.steps)].flatMap((s): TemplateSource[] => (s.type === 'notify'
      ? [{ stepId: s.id, field: 'subject', source: s.subject, scope: 'touch' }, { stepId: s.id, field: 'text', source: s.text, scope: 'touch' }]
      : [])),
    ...(plan.pages ?? []).flatMap((page): TemplateSource[] => [
      { stepId: page.id, field: 'html', source: page.html, scope: 'page' },
      { stepId: page.id, field: 'title', source: page.title, scope: 'page' },
    ]),
  ];
}
