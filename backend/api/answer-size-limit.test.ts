import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { describe, expect, test } from 'vitest';
import { answerSizeLimit } from './answer-size-limit.ts';

const LIMIT = 4096;

function appAnswering(items: number): Hono {
  const app = new Hono();
  app.use(answerSizeLimit(LIMIT));
  app.use(compress());
  app.get('/list', (c) => c.json({ entitlements: Array.from({ length: items }, (_, i) => ({ accountId: String(i).padStart(12, '0') })) }));
  app.get('/page', (c) => c.html('<p>' + 'x'.repeat(LIMIT * 2) + '</p>'));
  return app;
}

describe('answers too large for Lambda go out only compressed', () => {
  test('a large JSON answer to a client that refuses compression is a 406 that says how to ask', async () => {
    const response = await appAnswering(1000).request('/list', { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(406);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_acceptable');
    expect(body.error.message).toMatch(/gzip/);
    expect(body.error.message).toMatch(/\d+ bytes/);
  });

  test('the same answer goes out whole, gzipped, to a client that accepts gzip', async () => {
    const response = await appAnswering(1000).request('/list', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const json = JSON.parse(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()) as { entitlements: unknown[] };
    expect(json.entitlements).toHaveLength(1000);
  });

  test('a small answer goes out as it is, compressed or not', async () => {
    const response = await appAnswering(3).request('/list', { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { entitlements: unknown[] }).entitlements).toHaveLength(3);
  });

  test('only JSON answers are measured: the web page is served from files of known size', async () => {
    const response = await appAnswering(0).request('/page', { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
  });
});
