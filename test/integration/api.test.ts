/**
 * The HTTP API over real HTTP, against the whole local stack: moto, the demo organization, the
 * reconciled demo policy, the embedded directory and the federation stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api/errors.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { gunzipSync } from 'node:zlib';
import { handle } from 'hono/aws-lambda';
import { assembleApiApp } from '../../backend/assemble/api.ts';
import { apiConfig } from '../../backend/config/config.ts';

let stack: LocalStack;
const logged: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  stack = await startLocalStack({ apiPort: 0, logLevel: 'DEBUG' });
});

afterAll(async () => {
  process.stdout.write = originalWrite;
  await stack?.stop();
});

async function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const response = await fetch(`${stack.apiUrl}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function signIn(username: string, password: string): Promise<SessionResponse> {
  const response = await call('/session', { method: 'POST', json: { username, password } });
  expect(response.status).toBe(200);
  return response.body as SessionResponse;
}

function pairs(session: { entitlements: { accountName: string; permissionSet: string; eligible?: unknown }[] }): string[] {
  return session.entitlements
    .map((entitlement) => `${entitlement.accountName}/${entitlement.permissionSet}${entitlement.eligible ? ' (on request)' : ''}`)
    .sort();
}

function expectError(response: { status: number; body: unknown; text: string }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect((response.body as ApiErrorBody).error.code).toBe(code);
  expect((response.body as ApiErrorBody).error.message.length).toBeGreaterThan(0);
  expect(response.text).not.toMatch(/\n\s+at /);
}

describe('sign-in and entitlements', () => {
  it('lists exactly what each demo user is assigned', async () => {
    expect(pairs(await signIn('alice', 'alice-demo-password'))).toEqual([
      'data-prod/AdministratorAccess',
      'payments-dev/AdministratorAccess',
      'payments-dev/Developer',
      'payments-prod/AdministratorAccess',
      'sandbox/AdministratorAccess',
      'sandbox/Developer',
    ]);
    expect(pairs(await signIn('CORP\\bob', 'bob-demo-password'))).toEqual([
      'data-prod/ReadOnly',
      'payments-prod/Developer (on request)',
      'payments-prod/ReadOnly',
    ]);
    expect(pairs(await signIn('carol@corp.example.com', 'carol-demo-password'))).toEqual([]);
  });

  it('gives the entitlements again for a valid token and refuses missing or forged ones', async () => {
    const session = await signIn('bob', 'bob-demo-password');
    const again = await call('/entitlements', { token: session.token });
    expect(again.status).toBe(200);
    expect(pairs(again.body as SessionResponse)).toEqual(pairs(session));
    expectError(await call('/entitlements'), 401, 'unauthorized');
    expectError(await call('/entitlements', { token: `${session.token.slice(0, -4)}AAAA` }), 401, 'unauthorized');
  });

  it('answers gzipped to a client that accepts it, and as it is to one that does not; through Lambda the gzip is base64', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const gzipped = await call('/entitlements', { token: session.token, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(pairs(gzipped.body as SessionResponse)).toEqual(pairs(session));
    const plain = await call('/entitlements', { token: session.token, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.body).toEqual(gzipped.body);

    const lambda = handle(await assembleApiApp(apiConfig(stack.env), { credentials: stack.moto.settings.credentials }));
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/entitlements',
      rawQueryString: '',
      headers: { authorization: `Bearer ${session.token}`, 'accept-encoding': 'gzip' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/entitlements', sourceIp: '203.0.113.9', userAgent: 'test' }, requestId: 'test' },
    };
    const answer = (await lambda(event as never, {} as never)) as unknown as {
      statusCode: number;
      isBase64Encoded: boolean;
      body: string;
      headers: Record<string, string>;
    };
    expect(answer).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-encoding': 'gzip' } });
    expect(JSON.parse(gunzipSync(Buffer.from(answer.body, 'base64')).toString())).toEqual(gzipped.body);
  });

  it('refuses a wrong or empty password', async () => {
    expectError(await call('/session', { method: 'POST', json: { username: 'alice', password: 'nope' } }), 401, 'invalid_credentials');
    expectError(await call('/session', { method: 'POST', json: { username: 'alice', password: '' } }), 400, 'bad_request');
  });
});

describe('opening a console', () => {
  it('returns a sign-in URL that the federation endpoint honours for that account, role and person', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const target = session.entitlements.find((e) => e.accountName === 'sandbox' && e.permissionSet === 'Developer');
    expect(target).toBeDefined();
    const response = await call('/federate', {
      method: 'POST',
      token: session.token,
      json: { accountId: target?.accountId, permissionSet: 'Developer', region: 'eu-west-1', destination: '/ec2/home' },
    });
    expect(response.status).toBe(200);
    const { url } = response.body as FederateResponse;
    expect(url.startsWith(`${stack.federationUrl}?`)).toBe(true);
    const page = await (await fetch(url)).text();
    expect(page).toContain(`data-field="account">${target?.accountId}<`);
    expect(page).toContain('data-field="role">Switchyard-Developer<');
    expect(page).toMatch(/data-field="person">alice@corp\.example\.com\+[a-z2-7]{12}</);
    expect(page).toContain(`data-field="duration">${(target?.sessionDurationSeconds ?? 0) / 3600} h<`);
    expect(page).toContain('https://console.aws.amazon.com/ec2/home?region=eu-west-1');
  });

  it('refuses an account and permission set the person is not assigned', async () => {
    const alice = await signIn('alice', 'alice-demo-password');
    const bob = await signIn('bob', 'bob-demo-password');
    const adminTarget = alice.entitlements.find((e) => e.permissionSet === 'AdministratorAccess');
    expectError(
      await call('/federate', {
        method: 'POST',
        token: bob.token,
        json: { accountId: adminTarget?.accountId, permissionSet: 'AdministratorAccess' },
      }),
      403,
      'forbidden',
    );
  });

  it('never logs passwords, session tokens, credentials or sign-in URLs', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const target = session.entitlements[0];
    const response = await call('/federate', {
      method: 'POST',
      token: session.token,
      json: { accountId: target?.accountId, permissionSet: target?.permissionSet },
    });
    const { url } = response.body as FederateResponse;
    const signinToken = new URL(url).searchParams.get('SigninToken') ?? '';
    const logs = logged.join('');
    expect(logs).toContain('"message":"federation attempt"');
    expect(logs).not.toContain('alice-demo-password');
    expect(logs).not.toContain(session.token);
    expect(logs).not.toContain(signinToken);
  });
});

describe('bad requests get a 4xx JSON error, never a crash', () => {
  it('malformed JSON, without echoing the body back (it may hold a password)', async () => {
    expectError(
      await call('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' }),
      400,
      'invalid_json',
    );
    const echoed = await call('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'hunter2-typed-as-json' });
    expectError(echoed, 400, 'invalid_json');
    expect(echoed.text).not.toContain('hunter2');
  });

  it('missing and unexpected fields name the field', async () => {
    const response = await call('/session', { method: 'POST', json: { user: 'alice' } });
    expectError(response, 400, 'bad_request');
    expect((response.body as ApiErrorBody).error.message).toMatch(/username/);
    const session = await signIn('bob', 'bob-demo-password');
    const federate = await call('/federate', { method: 'POST', token: session.token, json: { accountId: 12345, permissionSet: 'ReadOnly' } });
    expectError(federate, 400, 'bad_request');
    expect((federate.body as ApiErrorBody).error.message).toMatch(/accountId/);
  });

  it('unknown routes and methods', async () => {
    expectError(await call('/nope'), 404, 'not_found');
    expectError(await call('/session'), 405, 'method_not_allowed');
  });

  it('oversized bodies', async () => {
    expectError(await call('/session', { method: 'POST', json: { username: 'alice', password: 'x'.repeat(100_000) } }), 413, 'payload_too_large');
  });

  it('bodies that are not JSON', async () => {
    expectError(await call('/session', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415, 'unsupported_media_type');
  });

  it('answers CORS preflight for extension origins only', async () => {
    const extension = await fetch(`${stack.apiUrl}/session`, {
      method: 'OPTIONS',
      headers: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'access-control-request-method': 'POST' },
    });
    expect(extension.status).toBe(204);
    expect(extension.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    const website = await fetch(`${stack.apiUrl}/session`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(website.headers.get('access-control-allow-origin')).toBeNull();
  });
});
