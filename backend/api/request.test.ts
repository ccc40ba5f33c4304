import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, MAX_REQUEST_BODY_BYTES } from '../../shared/api/routes.ts';
import { errorBody, httpErrorOf } from './errors.ts';
import { jsonBody } from './request.ts';

const app = new Hono()
  .post('/', jsonBody(API_ROUTES.session.request), (c) => c.json(c.req.valid('json')))
  .onError((error, c) => {
    const answer = httpErrorOf(error);
    return answer ? c.json(errorBody(answer.code, answer.message), answer.statusCode) : c.text('unexpected', 500);
  });

/** `contentType` null sends none: the body is then bytes, since a string body would get text/plain. */
async function post(body: string | Uint8Array | undefined, contentType: string | null) {
  const bytes = contentType === null && typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const answer = await app.request('/', { method: 'POST', body: bytes, headers: contentType === null ? {} : { 'content-type': contentType } });
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: answer.status, body: (await answer.json()) as unknown };
}

describe('jsonBody', () => {
  it('hands the route the body as its schema outputs it (the user name trimmed)', async () => {
    expect(await post(JSON.stringify({ username: ' alice ', password: 'pw' }), 'application/json; charset=utf-8')).toEqual({
      status: 200,
      body: { username: 'alice', password: 'pw' },
    });
  });

  it('reads a body sent without a content type as JSON', async () => {
    expect(await post(JSON.stringify({ username: 'alice', password: 'pw' }), null)).toEqual({
      status: 200,
      body: { username: 'alice', password: 'pw' },
    });
  });

  it.each<[string, string | Uint8Array | undefined, string, number, ReturnType<typeof errorBody>]>([
    ['another content type', 'hello', 'text/plain', 415, errorBody('unsupported_media_type', 'send the body as application/json')],
    [
      'a body over the limit',
      JSON.stringify({ username: 'alice', password: 'x'.repeat(MAX_REQUEST_BODY_BYTES) }),
      'application/json',
      413,
      errorBody('payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`),
    ],
    [
      'bytes that are not UTF-8 (never decoded leniently)',
      new Uint8Array([...new TextEncoder().encode('{"username":"ali'), 0xff, 0xfe, ...new TextEncoder().encode('","password":"x"}')]),
      'application/json',
      400,
      errorBody('bad_request', 'the body is not valid UTF-8'),
    ],
    ['no body', undefined, 'application/json', 400, errorBody('bad_request', 'the request needs a JSON body')],
    ['malformed JSON, never quoted', '{"password":"hunter2', 'application/json', 400, errorBody('invalid_json', 'the body is not valid JSON')],
    [
      'fields the schema refuses, each named by its path',
      JSON.stringify({ username: '', password: 'pw', extra: 1 }),
      'application/json',
      400,
      errorBody('bad_request', 'username: username is required; Unrecognized key: "extra"'),
    ],
  ])('answers %s', async (_case, body, contentType, status, answer) => {
    expect(await post(body, contentType)).toEqual({ status, body: answer });
  });
});
