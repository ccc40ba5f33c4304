/**
 * Reading a request: the bearer token, and a JSON body checked by its route's zod schema.
 *
 * `jsonBody` is a Hono validator: the route reads the checked body with `c.req.valid('json')`. It reads the
 * body itself rather than through hono/validator's "json" target, which decodes bad UTF-8 leniently (into
 * U+FFFD, so a different name than was sent would sign in), hands the schema `{}` for a body sent without a
 * JSON content type, and answers malformed JSON with its own message.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/routes.ts';
import { HttpError } from './errors.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** The JSON body, checked by `schema`; every failure is a 4xx naming what is wrong, never echoing the body. */
export function jsonBody<S extends z.ZodType>(schema: S): MiddlewareHandler<Env, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const result = schema.safeParse(await readJson(c));
    if (!result.success) {
      const message = result.error.issues
        .map((problem) => (problem.path.length > 0 ? `${problem.path.join('.')}: ${problem.message}` : problem.message))
        .join('; ');
      throw new HttpError(400, 'bad_request', message);
    }
    c.req.addValidatedData('json', result.data as object);
    await next();
  };
}

async function readJson(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type');
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_REQUEST_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  let raw: string;
  try {
    raw = UTF8.decode(bytes);
  } catch {
    // Decoding leniently would turn the bad bytes into U+FFFD and sign in a different name than was sent.
    throw new HttpError(400, 'bad_request', 'the body is not valid UTF-8');
  }
  if (raw.trim() === '') throw new HttpError(400, 'bad_request', 'the request needs a JSON body');
  try {
    return JSON.parse(raw);
  } catch {
    // The parser's message quotes the body, which may hold a password.
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}
