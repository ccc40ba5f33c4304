import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/contract.ts';
import { HttpError } from './responses.ts';

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function bearerToken(event: APIGatewayProxyEventV2): string | undefined {
  const value = header(event, 'authorization');
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

export function originOf(event: APIGatewayProxyEventV2): string | undefined {
  return header(event, 'origin');
}

/** Parses and validates a JSON body; every failure is a 4xx naming what is wrong. */
export function jsonBody<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T {
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_REQUEST_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  if (raw.trim() === '') throw new HttpError(400, 'bad_request', 'the request needs a JSON body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
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
