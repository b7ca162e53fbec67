import { z } from 'zod';
import { LOGGED_TOUCH_KINDS } from '../db/schema';

/** How far ahead of the server's clock a logged touch may be dated (clock skew of the staff's devices). */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** A staff or offline touch as `POST /api/touches` accepts it (one JSON object, or one CSV row). */
export const TouchInput = z.object({
  contactId: z.string().min(1).max(200),
  funnelId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'funnel ids are lowercase letters, digits and "-"').optional(),
  kind: z.enum(LOGGED_TOUCH_KINDS, { message: `kind must be one of ${LOGGED_TOUCH_KINDS.join(', ')}` }),
  by: z.string().trim().min(1, 'by names the staff member').max(200),
  at: z.iso.datetime({ offset: true, message: 'at must be an ISO 8601 date-time' }).optional(),
  outcome: z.string().max(200).optional(),
  notes: z.string().max(4000).optional(),
  value: z.number().finite().min(0).optional(),
}).strict();
export type TouchInput = z.infer<typeof TouchInput>;

/** The CSV columns, in the order of the JSON keys; a header row names those it uses (`contactId`, `kind`, `by` at least). */
export const TOUCH_CSV_COLUMNS = ['contactId', 'funnelId', 'kind', 'by', 'at', 'outcome', 'notes', 'value'] as const;

/** At most this many rows in one CSV import. */
export const MAX_CSV_ROWS = 5000;
