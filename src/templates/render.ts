import { Liquid, LiquidError } from 'liquidjs';
import { TemplateError } from '../errors';
import type { ContactRow } from '../db/schema';
import type { FunnelEvent } from '../../workflows/types';
import { parseJsonObject } from '../db/json';

const html = new Liquid({ outputEscape: 'escape', cache: 500 });
const text = new Liquid({ cache: 500 });

/** The variables every template sees. */
export interface TemplateContext {
  contact: Record<string, unknown>;
  event: Record<string, unknown> | null;
  funnel: { id: string; name: string };
  touch: { id: string };
}

/** Builds the template context from stored rows; `firstName` is the first word of the name. */
export function templateContext(contact: ContactRow, trigger: FunnelEvent | null, funnel: { id: string; name: string }, touchId: string): TemplateContext {
  return {
    contact: {
      id: contact.id, externalId: contact.external_id, email: contact.email, phone: contact.phone,
      name: contact.name, firstName: contact.name?.trim().split(/\s+/)[0] ?? null,
      timezone: contact.timezone, locale: contact.locale, attributes: parseJsonObject(contact.attributes),
    },
    event: trigger && { name: trigger.name, value: trigger.value, occurredAt: new Date(trigger.occurredAt).toISOString(), properties: trigger.properties },
    funnel,
    touch: { id: touchId },
  };
}

/** Renders a Liquid template; HTML output escapes every variable, plain text does not. Throws TemplateError for bad Liquid. */
export async function renderTemplate(template: string, ctx: TemplateContext, mode: 'html' | 'text'): Promise<string> {
  return renderLiquid(mode === 'html' ? html : text, template, ctx as unknown as Record<string, unknown>);
}

/** Parses and renders with `engine`; a Liquid parse or render error becomes a TemplateError, anything else propagates. */
export async function renderLiquid(engine: Liquid, template: string, ctx: Record<string, unknown>): Promise<string> {
  try {
    return await engine.parseAndRender(template, ctx);
  } catch (err) {
    if (err instanceof LiquidError) throw new TemplateError(err.message, { cause: err });
    throw err;
  }
}
