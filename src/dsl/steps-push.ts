import type { FallbackContent, PushStep } from './plan';
import type { TouchOptions } from './steps';

/** What a browser notification shows: title and body (Liquid, plain text), the page a click opens, an icon. */
export type PushContent = { title: string; body: string; url?: string; icon?: string };

/** Copies the defined keys only, so plans hash the same whether an option was omitted or undefined. */
function defined<T extends object>(base: T, extra: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}

/**
 * A web push touch: a notification in the browser the contact subscribed on (a funnel page offers it). A click opens
 * `url` through a tracked link (`<touchId>.clicked`); a contact without a subscription, or whose subscription expired,
 * gets the fallbacks.
 */
export function push(id: string, content: PushContent & TouchOptions): PushStep {
  const { title, body, ...rest } = content;
  return defined<PushStep>({ type: 'push', id, title, body }, rest);
}

/** Fallback content for a touch: the same message as a browser notification. */
export const asPush = (content: PushContent): FallbackContent =>
  defined({ channel: 'push' as const, title: content.title, body: content.body }, { url: content.url, icon: content.icon });
