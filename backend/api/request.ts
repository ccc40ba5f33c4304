/** Reading a request: the bearer token, and a JSON body checked by a zod schema. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/contract.ts';
import { HttpError } from './errors.ts';

export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** Parses and validates a JSON body; every failure is a 4xx naming what is wrong, never echoing the body. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const contentType = c.req.header('content-type');
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const raw = await c.req.text();
  if (Buffer.byteLength(raw, 'utf8') > MAX_REQUEST_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  if (raw.trim() === '') throw new HttpError(400, 'bad_request', 'the request needs a JSON body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The parser's message quotes the body, which may hold a password.
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new HttpError(400, 'bad_request', message);
  }
  return result.data;
}
