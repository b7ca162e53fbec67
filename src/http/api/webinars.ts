import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import type { WebinarRow } from '../../db/schema';
import { mac } from '../../security/signed-token';
import { errorBody } from '../error-response';
import { readJson } from './validate';
import { AttendanceBody, attendanceFromCsv, attendanceFromJson } from '../../webinars/attendance-input';
import { recordAttendance } from '../../webinars/record-attendance';
import { moveWebinar } from '../../webinars/move-webinar';
import { listWebinars, requireWebinar, sessionCounts, webinarView } from '../../webinars/webinar-rows';
import { sameSecret } from '../../security/same-secret';

export { webinarOpenApiPaths } from '../../webinars/openapi-paths';

/** `PATCH /api/webinars/:id`: the new start, an ISO 8601 date-time with an offset. */
export const MoveWebinarInput = z.object({
  startsAt: z.iso.datetime({ offset: true, message: 'startsAt is an ISO 8601 date-time with an offset, e.g. 2026-12-03T19:00:00+03:00' }),
}).strict();

/** Optional extras of the API: with both, each webinar carries its attendance webhook URL. */
export type WebinarApiDeps = EngineDeps & { secretKey?: string; publicUrl?: string };

/** The token of a webinar's attendance webhook (`?token=`). */
export function webinarWebhookToken(secretKey: string, webinarId: string): string {
  return mac(secretKey, 'webinar-webhook', webinarId);
}

async function viewWithCounts(deps: WebinarApiDeps, row: WebinarRow) {
  return {
    ...webinarView(row),
    sessions: await sessionCounts(deps.db, row.id),
    ...(deps.secretKey && deps.publicUrl && {
      webhookUrl: `${deps.publicUrl.replace(/\/+$/, '')}/webhooks/webinar/${encodeURIComponent(row.id)}?token=${webinarWebhookToken(deps.secretKey, row.id)}`,
    }),
  };
}

/** Reads an attendance report from JSON or `text/csv` (`?sessions=` filters CSV reports), validates every row, applies it. */
async function handleAttendance(deps: EngineDeps, c: Context, webinarId: string) {
  const webinar = await requireWebinar(deps.db, webinarId);
  const type = c.req.header('content-type') ?? '';
  const report = /^(text|application)\/(csv|vnd\.ms-excel)/i.test(type)
    ? attendanceFromCsv(await c.req.text(), c.req.query('sessions'))
    : attendanceFromJson(await readJson(c, AttendanceBody), c.req.query('sessions'));
  return c.json(await recordAttendance(deps, webinar, report));
}

/**
 * `/api/webinars` (bearer auth by the parent): list, one webinar with session counts, move a fixed webinar
 * (`PATCH`), upload attendance (`POST /:id/attendance`, JSON or CSV). A rejected request stores nothing.
 */
export function webinarApiRoutes(deps: WebinarApiDeps): Hono {
  return new Hono()
    .get('/', async (c) => c.json(await Promise.all((await listWebinars(deps.db)).map((w) => viewWithCounts(deps, w)))))
    .get('/:id', async (c) => c.json(await viewWithCounts(deps, await requireWebinar(deps.db, c.req.param('id')))))
    .patch('/:id', async (c) => {
      const input = await readJson(c, MoveWebinarInput);
      const moved = await moveWebinar(deps, c.req.param('id'), Date.parse(input.startsAt));
      return c.json({ webinar: await viewWithCounts(deps, moved.webinar), sessionsMoved: moved.sessionsMoved, enrollmentsSignalled: moved.enrollmentsSignalled });
    })
    .post('/:id/attendance', (c) => handleAttendance(deps, c, c.req.param('id')));
}

/** The largest attendance report a webinar platform may post. */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * `/webhooks/webinar/:webinarId?token=<mac(secretKey, 'webinar-webhook', webinarId)>`: the attendance upload for
 * webinar platforms, authenticated by the per-webinar token instead of the API token; 401 for a wrong token.
 */
export function webinarWebhookRoutes(deps: EngineDeps & { secretKey: string }): Hono {
  return new Hono()
    .use('*', bodyLimit({
      maxSize: WEBHOOK_MAX_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', `the request body exceeds ${WEBHOOK_MAX_BYTES} bytes`), 413),
    }))
    .post('/:webinarId', async (c) => {
      const webinarId = c.req.param('webinarId');
      if (!sameSecret(c.req.query('token'), webinarWebhookToken(deps.secretKey, webinarId))) {
        return c.json(errorBody('unauthorized', 'a valid ?token= for this webinar is required'), 401);
      }
      return handleAttendance(deps, c, webinarId);
    });
}
