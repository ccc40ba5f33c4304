/**
 * IAM throttling is retried with backoff by the SDK's standard retry mode (clients.ts): a loopback
 * proxy in front of moto answers the first read calls with IAM's real Throttling error, and the
 * run still converges with one logical call per account.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { MEMBER_ACCOUNTS, basePolicyFiles, startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
let proxy: Server;
let throttled = 0;
const THROTTLE_FIRST = 4;

const THROTTLING_BODY =
  '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code>' +
  '<Message>Rate exceeded</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>';

beforeAll(async () => {
  world = await startWorld();
  const target = new URL(world.moto.endpoint);
  proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString().includes('Action=GetAccountAuthorizationDetails') && throttled < THROTTLE_FIRST) {
        throttled++;
        outgoing.writeHead(400, { 'content-type': 'text/xml' }).end(THROTTLING_BODY);
        return;
      }
      const forwarded = request(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await world?.stop();
});

test('throttled reads are retried with backoff and the run converges', async () => {
  await world.putFiles(basePolicyFiles());
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const report = await runReconcile(world.deps({ settings: { ...world.settings, endpoint, maxAttempts: 6 }, concurrency: 1 }));

  expect(throttled).toBe(THROTTLE_FIRST);
  expect(report.status).toBe('applied');
  expect(report.summary.created).toBe(4);
  // Retries are attempts of one call, not extra calls.
  expect(world.counter.count((c) => c.operation === 'GetAccountAuthorizationDetails')).toBe(MEMBER_ACCOUNTS.length);
});
