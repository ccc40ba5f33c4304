import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientInfo } from './client-info.ts';

const app = new Hono().get('/', (c) => c.json(clientInfo(c)));

describe('client info', () => {
  it('reads the source IP of an API Gateway HTTP API event (payload 2.0) and the user agent', async () => {
    const answer = await app.request('/', { headers: { 'user-agent': 'Mozilla/5.0' } }, { requestContext: { http: { sourceIp: '203.0.113.7' } } });
    expect(await answer.json()).toEqual({ sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' });
  });

  it('reads the source IP of a REST API event (payload 1.0)', async () => {
    const answer = await app.request('/', {}, { requestContext: { identity: { sourceIp: '198.51.100.9' } } });
    expect(await answer.json()).toEqual({ sourceIp: '198.51.100.9' });
  });

  it('gives no address for a shape it does not know, and cuts long user agents', async () => {
    const answer = await app.request('/', { headers: { 'user-agent': 'x'.repeat(1000) } }, {});
    expect(await answer.json()).toEqual({ userAgent: 'x'.repeat(256) });
  });
});
