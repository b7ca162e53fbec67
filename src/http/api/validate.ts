import type { Context } from 'hono';
import type { z } from 'zod';
import { httpError, zodFailure } from '../error-response';

/**
 * The request's JSON body parsed with `schema`. Throws 400 `invalid_json` for a body that is not a JSON object,
 * 400 `bad_request` for wrong types or unknown keys, and 422 `validation_failed` for well-formed but invalid values.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw httpError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw httpError(400, 'invalid_json', 'request body must be a JSON object');
  }
  return parseWith(schema, body, 'request body');
}

/** The query string (first value of each key) parsed with `schema`; failures map as in `readJson`. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query(), 'query');
}

/** `value` parsed with `schema`, or the 400/422 error the contract asks for. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodFailure(result.error, what);
  return result.data;
}
