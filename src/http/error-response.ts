import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Logger } from '../log';
import { ConflictError, NotFoundError, SendFailedError, UnavailableError, ValidationError } from '../errors';

/** The contract's error body: `{"error": {"code", "message", "details"?}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Builds the contract's error body; `details` is left out when undefined. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details !== undefined && { details }) } };
}

/**
 * An HTTPException that answers the contract's error body. The body is rendered when the answer is built, never
 * pre-built with `Response.json`: under `@hono/node-server` the global `Response` is replaced, a `Response.json`
 * result is not `instanceof Response` there, and middleware that checks (hono's bearer auth) serialised it as `{}`.
 */
export class ApiHttpError extends HTTPException {
  override readonly name = 'ApiHttpError';
  constructor(status: ContentfulStatusCode, readonly code: string, message: string, readonly details?: unknown) {
    super(status, { message });
  }

  /** The contract's error body of this error. */
  body(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }

  override getResponse(): Response {
    return errorResponse(this.status as ContentfulStatusCode, this.body());
  }
}

/**
 * A `Response` carrying an error body, for middleware options that want one (bearer auth). Built with `new Response`
 * at call time, so it is an instance of whatever global `Response` the server installed (see `ApiHttpError`).
 */
export function errorResponse(status: ContentfulStatusCode, body: ErrorBody): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** An HTTPException carrying the contract's error body (for 400/401/413 at the edge). */
export function httpError(status: ContentfulStatusCode, code: string, message: string, details?: unknown): ApiHttpError {
  return new ApiHttpError(status, code, message, details);
}

/** One zod issue as the API reports it. */
export interface IssueDetail {
  path: string;
  message: string;
}

/** Issues that mean "malformed" (400) rather than "well-formed but invalid" (422). */
const MALFORMED = new Set(['invalid_type', 'unrecognized_keys', 'invalid_union']);

/** Zod issues as `{path, message}`, the path dotted (`consent.email`, `touches.0.id`). */
export function issueDetails(issues: readonly z.core.$ZodIssue[]): IssueDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** A failed parse as the error to throw: 400 `bad_request` when any issue is malformed input, else 422 `validation_failed`. */
export function zodFailure(error: z.core.$ZodError, what = 'request'): Error {
  const details = issueDetails(error.issues);
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  if (error.issues.some((i) => MALFORMED.has(i.code))) return httpError(400, 'bad_request', `malformed ${what}: ${summary}`, details);
  return new ValidationError(`invalid ${what}: ${summary}`, details);
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed', 429: 'rate_limited', 503: 'unavailable',
};

function json(c: Context, status: ContentfulStatusCode, body: ErrorBody): Response {
  return c.json(body, status);
}

/** The app's one error handler: maps the named errors to the contract's error body; anything else is a logged, generic 500. */
export function handleError(log: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiHttpError) return json(c, err.status as ContentfulStatusCode, err.body());
    if (err instanceof HTTPException) {
      if (err.res) return err.getResponse();
      const status = err.status as ContentfulStatusCode;
      return json(c, status, errorBody(CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request'), err.message || 'request failed'));
    }
    if (err instanceof z.core.$ZodError) return handleError(log)(zodFailure(err), c);
    if (err instanceof ValidationError) return json(c, 422, errorBody(err.code, err.message, err.details));
    if (err instanceof NotFoundError) return json(c, 404, errorBody('not_found', err.message, { what: err.what, id: err.id }));
    if (err instanceof ConflictError) return json(c, 409, errorBody('conflict', err.message, err.details));
    if (err instanceof SendFailedError) return json(c, 502, errorBody('send_failed', err.message, err.details));
    if (err instanceof UnavailableError) {
      log.warn('dependency unavailable', { method: c.req.method, path: c.req.path, error: err });
      return json(c, 503, errorBody('unavailable', err.message));
    }
    log.error('unhandled error', { method: c.req.method, path: c.req.path, error: err, stack: err instanceof Error ? err.stack : undefined });
    return json(c, 500, errorBody('internal', 'internal server error'));
  };
}
