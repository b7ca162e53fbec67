import type { Context } from 'hono';
import { httpError } from '../error-response';

/** A submission as the form routes read it: flat field names (`attributes.city`, `consent.email`) and whether JSON was sent. */
export interface FormBody {
  json: boolean;
  fields: Record<string, unknown>;
}

/** Whether the client talks JSON (it sent JSON, or asks for JSON rather than HTML): it then gets JSON answers. */
export function wantsJson(c: Context): boolean {
  if ((c.req.header('content-type') ?? '').toLowerCase().includes('application/json')) return true;
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Nested `{attributes: {city}, consent: {email}}` flattened to the form's dotted names; dotted keys pass as they are. */
function flatten(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((key === 'attributes' || key === 'consent') && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) out[`${key}.${inner}`] = v;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Reads an HTML form post (urlencoded or multipart; the last value of a repeated name wins, files are ignored) or a
 * JSON object. 400 `invalid_json` for JSON that is not an object, 415 for any other content type.
 */
export async function readFormBody(c: Context): Promise<FormBody> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (err) {
      throw httpError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'invalid_json', 'request body must be a JSON object');
    return { json: true, fields: flatten(body as Record<string, unknown>) };
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await c.req.parseBody();
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(form)) if (typeof value === 'string') fields[key] = value;
    return { json: false, fields };
  }
  throw httpError(415, 'unsupported_media_type', 'send the form as application/x-www-form-urlencoded, multipart/form-data or application/json');
}
