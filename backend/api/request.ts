/** Reading a request: the bearer token, and a JSON body checked by a zod schema. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/contract.ts';
import { HttpError } from './errors.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** Parses and validates a JSON body; every failure is a 4xx naming what is wrong, never echoing the body. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
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
