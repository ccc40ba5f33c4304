import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { makeApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';
import { closedPortUrl, startScriptedServer } from '../../test/helpers/scripted-server.ts';
import type { ScriptedServer } from '../../test/helpers/scripted-server.ts';

const entitlement: Entitlement = {
  accountId: '012345678901',
  accountName: 'sandbox',
  color: '#00aa00',
  regions: ['eu-west-1'],
  permissionSet: 'Developer',
  sessionDurationSeconds: 28800,
};
const user = { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] };

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

async function failureOf(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiFailure)) throw new Error(`expected an ApiFailure, got ${String(error)}`);
  return error;
}

describe('makeApiClient', () => {
  it('signs in with a JSON body and returns the checked answer', async () => {
    server.answer('POST /session', {
      status: 200,
      body: { token: 't0k', expiresAt: '2030-01-01T00:00:00Z', source: 'directory', user, entitlements: [entitlement] },
    });
    const api = makeApiClient({ baseUrl: `${server.url}/` });
    const answer = await api.createSession({ username: 'alice', password: 'pw' });
    expect(answer.entitlements).toEqual([entitlement]);
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/session', body: { username: 'alice', password: 'pw' } });
  });

  it('sends the bearer token for entitlements and federation', async () => {
    server.answer('GET /entitlements', { status: 200, body: { user, entitlements: [] } });
    server.answer('POST /federate', { status: 200, body: { url: 'http://127.0.0.1:1/federation?Action=login' } });
    const api = makeApiClient({ baseUrl: server.url });
    await api.getEntitlements('secret-token');
    expect(server.requests.at(-1)).toMatchObject({ path: '/entitlements', authorization: 'Bearer secret-token' });
    const { url } = await api.federate('secret-token', { accountId: '012345678901', permissionSet: 'Developer' });
    expect(url).toContain('Action=login');
    expect(server.requests.at(-1)).toMatchObject({
      path: '/federate',
      authorization: 'Bearer secret-token',
      body: { accountId: '012345678901', permissionSet: 'Developer' },
    });
  });

  it('asks for the sign-in methods, redeems a code, refreshes and signs out', async () => {
    const session = { token: 't1', expiresAt: '2030-01-01T00:00:00Z', refreshToken: 'r1', source: 'cognito', user, entitlements: [] };
    server.answer('GET /auth/config', {
      status: 200,
      body: { methods: ['cognito'], cognito: { domain: 'https://sso.example.com', clientId: 'c1', scopes: ['openid'] } },
    });
    server.answer('POST /session/cognito', { status: 200, body: session });
    server.answer('POST /session/refresh', { status: 200, body: { ...session, token: 't2' } });
    server.answer('POST /session/sign-out', { status: 200, body: { ok: true } });
    const api = makeApiClient({ baseUrl: server.url });
    expect((await api.getAuthConfig()).methods).toEqual(['cognito']);
    const grant = { code: 'abc', codeVerifier: 'v'.repeat(43), redirectUri: 'https://x.chromiumapp.org/', clientId: 'c1' };
    expect((await api.createCognitoSession(grant)).token).toBe('t1');
    expect(server.requests.at(-1)).toMatchObject({ path: '/session/cognito', body: grant });
    expect((await api.refreshSession('r1')).token).toBe('t2');
    expect(server.requests.at(-1)).toMatchObject({ path: '/session/refresh', body: { refreshToken: 'r1' } });
    await api.signOut({ token: 't2', refreshToken: 'r1' });
    expect(server.requests.at(-1)).toMatchObject({ path: '/session/sign-out', authorization: 'Bearer t2', body: { refreshToken: 'r1' } });
  });

  it.each([
    [401, 'invalid_credentials', 'invalid-credentials', /^Wrong username or password\.$/],
    [401, 'unauthorized', 'signed-out', /session has ended/],
    [403, 'forbidden', 'forbidden', /^Not allowed: not entitled to sandbox\/Admin$/],
    [400, 'bad_request', 'bad-request', /HTTP 400/],
    [413, 'payload_too_large', 'bad-request', /HTTP 413/],
    [502, 'upstream_failure', 'server', /HTTP 502/],
    [429, 'internal', 'server', /HTTP 429/],
  ])('maps HTTP %i %s to %s', async (status, code, kind, message) => {
    const serverMessage = code === 'forbidden' ? 'not entitled to sandbox/Admin' : 'nope';
    server.answer('POST /federate', { status, body: { error: { code, message: serverMessage } } });
    const failure = await failureOf(makeApiClient({ baseUrl: server.url }).federate('t', { accountId: '012345678901', permissionSet: 'Admin' }));
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.message).toMatch(message);
  });

  it("shows the message of an error code this extension does not know (a newer backend's)", async () => {
    server.answer('POST /federate', { status: 409, body: { error: { code: 'elevation_pending', message: 'waiting for approval' } } });
    const failure = await failureOf(makeApiClient({ baseUrl: server.url }).federate('t', { accountId: '012345678901', permissionSet: 'Admin' }));
    expect(failure.code).toBe('elevation_pending');
    expect(failure.message).toBe('The backend rejected the request (HTTP 409): waiting for approval');
  });

  it('maps a non-JSON error body by status alone', async () => {
    server.answer('GET /entitlements', { status: 500, raw: '<html>Internal Server Error</html>' });
    const failure = await failureOf(makeApiClient({ baseUrl: server.url }).getEntitlements('t'));
    expect(failure.kind).toBe('server');
    expect(failure.message).toBe('The backend failed (HTTP 500)');
  });

  it('rejects a success answer of the wrong shape, without quoting it', async () => {
    server.answer('POST /federate', { status: 200, body: { link: 'https://signin.example/secret' } });
    const failure = await failureOf(makeApiClient({ baseUrl: server.url }).federate('t', { accountId: '012345678901', permissionSet: 'X' }));
    expect(failure.kind).toBe('server');
    expect(failure.message).toBe('The backend sent an unexpected answer to POST /federate.');
  });

  it('reports an unreachable backend, naming its URL', async () => {
    const baseUrl = await closedPortUrl();
    const failure = await failureOf(makeApiClient({ baseUrl }).createSession({ username: 'a', password: 'b' }));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toBe(`The Switchyard backend at ${baseUrl} could not be reached. Check your network or VPN.`);
  });

  it('reports a backend that does not answer in time', async () => {
    const failure = await failureOf(
      makeApiClient({
        baseUrl: 'http://backend.test',
        timeoutMs: 10,
        fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
      }).getEntitlements('t'),
    );
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toContain('http://backend.test did not answer in time');
  });
});
