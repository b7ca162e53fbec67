import { ATTRIBUTION_MODELS, type AttributionModel } from '../../analytics/funnel-stats';

/** The attribution model the funnel page shows when none (or an unknown one) is asked for. */
export const DEFAULT_MODEL: AttributionModel = 'last_touch';

/** Reads `?model=`; an unknown value falls back to the default and is flagged. */
export function parseModel(value: string | undefined): { model: AttributionModel; invalid: boolean } {
  if (!value) return { model: DEFAULT_MODEL, invalid: false };
  const known = (ATTRIBUTION_MODELS as readonly string[]).includes(value);
  return { model: known ? (value as AttributionModel) : DEFAULT_MODEL, invalid: !known };
}

/** `path` with the given query parameters; empty and undefined values are left out. */
export function hrefWith(path: string, params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The dashboard path of a funnel's page. */
export function funnelHref(id: string): string {
  return `/dashboard/funnels/${encodeURIComponent(id)}`;
}

/** The dashboard path of a contact's timeline. */
export function contactHref(id: string): string {
  return `/dashboard/contacts/${encodeURIComponent(id)}`;
}
