/**
 * Lambda returns at most 6 MB from a synchronous invocation, and API Gateway turns a larger answer into a
 * bare 500 (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). The admin of every
 * account in a large organization is listed 100,000 entitlements, 30 MB of JSON and 0.6 MB gzipped
 * (docs/scale.md). So a JSON answer over the limit goes out only compressed; a client that refuses
 * compression gets a 406 that says how to ask, instead of an error with no reason.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

/** Under Lambda's 6 MB with room for the response envelope and headers. */
export const MAX_UNCOMPRESSED_ANSWER_BYTES = 5 * 1024 * 1024;

export function answerSizeLimit(maxBytes = MAX_UNCOMPRESSED_ANSWER_BYTES): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.headers.has('content-encoding') || !c.res.headers.get('content-type')?.startsWith('application/json')) return;
    const body = await c.res.arrayBuffer();
    const message =
      `the answer is ${body.byteLength} bytes, more than the ${maxBytes} bytes that may go out uncompressed; ` +
      'ask again with the header Accept-Encoding: gzip';
    c.res = body.byteLength > maxBytes ? c.json(errorBody('not_acceptable', message), 406) : new Response(body, c.res);
  };
}
