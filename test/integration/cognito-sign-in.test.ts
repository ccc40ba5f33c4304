/**
 * Sign-in with a Cognito user pool over real HTTP: moto's cognito-idp holds the pool, its people and
 * groups and signs the tokens; the hosted UI's authorize and token endpoints are a loopback stand-in
 * (test/helpers/hosted-ui-stand-in.ts). This suite plays the browser's part of the code flow with
 * fetch; the Chromium e2e suite runs it through the extension's launchWebAuthFlow.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfigResponse } from '../../shared/api/auth-config.ts';
import type { ApiErrorBody } from '../../shared/api/errors.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { makeApiApp } from '../../backend/api/app.ts';
import { userPoolAccounts } from '../../backend/auth/cognito-accounts.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { RecordingMetrics } from '../../backend/metrics/recording-metrics.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';
import { createDemoUserPool, type DemoUserPool } from '../helpers/cognito-pool.ts';
import { closedPort } from '../helpers/dead-servers.ts';
import { startHostedUiStandIn, type HostedUiStandIn } from '../helpers/hosted-ui-stand-in.ts';

const REDIRECT_URI = `https://${'abcdefghijklmnop'.repeat(2)}.chromiumapp.org/`;

let stack: LocalStack;
let pool: DemoUserPool;
let hostedUi: HostedUiStandIn;
let output: CapturedOutput;
const metrics = new RecordingMetrics();
const secrets = new Set<string>(['alice-demo-password', 'bob-demo-password', 'carol-demo-password']);

beforeAll(async () => {
  output = captureOutput();
  stack = await startLocalStack({
    apiPort: 0,
    logLevel: 'DEBUG',
    apiMetrics: metrics,
    signIn: async (moto) => {
      pool = await createDemoUserPool(moto.settings);
      await pool.setCallbackUrls([REDIRECT_URI]);
      hostedUi = await startHostedUiStandIn(moto.settings, pool.userPoolId);
      return pool.env(hostedUi.url);
    },
  });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
  await hostedUi?.close();
});

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

async function post(baseUrl: string, path: string, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The browser's half of the code flow, by hand: authorize, sign in on the hosted UI, read the code off the redirect. */
async function authorizationCode(username: string, password: string, options: { clientId?: string; redirectUri?: string } = {}) {
  const redirectUri = options.redirectUri ?? REDIRECT_URI;
  const codeVerifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(`${hostedUi.url}/oauth2/authorize`);
  const params = {
    response_type: 'code',
    client_id: options.clientId ?? pool.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const form = new URLSearchParams({ ...params, username, password });
  const login = await fetch(`${hostedUi.url}/login`, { method: 'POST', body: form, redirect: 'manual' });
  expect(login.status).toBe(302);
  const redirect = new URL(login.headers.get('location') ?? '');
  expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
  expect(redirect.searchParams.get('state')).toBe(state);
  const code = redirect.searchParams.get('code') ?? '';
  secrets.add(code);
  secrets.add(codeVerifier);
  return { code, codeVerifier, redirectUri, clientId: pool.clientId };
}

async function signIn(username: string, password: string): Promise<SessionResponse> {
  const answer = await post(stack.apiUrl, '/session/cognito', await authorizationCode(username, password));
  expect(answer.status, answer.text).toBe(200);
  const session = answer.body as SessionResponse;
  secrets.add(session.token);
  if (session.refreshToken) secrets.add(session.refreshToken);
  return session;
}

function pairs(session: { entitlements: { accountName: string; permissionSet: string }[] }): string[] {
  return session.entitlements.map((entitlement) => `${entitlement.accountName}/${entitlement.permissionSet}`).sort();
}

async function otherApi(overrides: EnvInput): Promise<{ url: string; close(): Promise<void> }> {
  const deps = await assembleApi(apiConfig({ ...stack.env, ...overrides }), {
    credentials: stack.moto.settings.credentials,
    logger: createLogger('switchyard-api-test', 'DEBUG'),
  });
  return serveApi(makeApiApp(deps), 0);
}

describe('signing in with a Cognito user pool', () => {
  it("tells the extension the pool's public settings", async () => {
    const answer = await fetch(`${stack.apiUrl}/auth/config`);
    expect((await answer.json()) as AuthConfigResponse).toEqual({
      methods: ['directory', 'cognito'],
      cognito: { domain: hostedUi.url, clientId: pool.clientId, scopes: ['openid', 'email', 'profile'] },
    });
  });

  it("redeems the code, verifies the ID token against moto's key set and lists the person's cognito:groups entitlements", async () => {
    const session = await signIn('alice', 'alice-demo-password');
    expect(session.source).toBe('cognito');
    expect(session.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.user.displayName).toBe('Alice (Cognito)');
    expect(session.user.groups.sort()).toEqual(['Developers', 'Platform-Admins']);
    expect(pairs(session)).toEqual([
      'data-prod/AdministratorAccess',
      'payments-dev/AdministratorAccess',
      'payments-dev/Developer',
      'payments-prod/AdministratorAccess',
      'sandbox/AdministratorAccess',
      'sandbox/Developer',
    ]);
    expect(session.refreshToken).toEqual(expect.any(String));
    expect((await fetch(`${stack.apiUrl}/entitlements`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(200);
  });

  it('refuses a wrong PKCE verifier and a code used twice', async () => {
    metrics.recorded.length = 0;
    const wrongVerifier = await authorizationCode('bob', 'bob-demo-password');
    const refused = await post(stack.apiUrl, '/session/cognito', { ...wrongVerifier, codeVerifier: randomBytes(32).toString('base64url') });
    expect(refused.status).toBe(401);
    expect((refused.body as ApiErrorBody).error.code).toBe('invalid_credentials');

    const once = await authorizationCode('bob', 'bob-demo-password');
    expect((await post(stack.apiUrl, '/session/cognito', once)).status).toBe(200);
    expect((await post(stack.apiUrl, '/session/cognito', once)).status).toBe(401);
    // Each refusal is counted for operations, by method only.
    expect(metrics.of('signInFailures')).toEqual([
      { metric: 'signInFailures', value: 1, dimensions: { Method: 'cognito' } },
      { metric: 'signInFailures', value: 1, dimensions: { Method: 'cognito' } },
    ]);
  });

  it('refuses an app client it does not accept and a redirect that is not an extension', async () => {
    const code = await authorizationCode('bob', 'bob-demo-password');
    for (const [body, field] of [
      [{ ...code, clientId: 'someotherclient' }, /clientId/],
      [{ ...code, redirectUri: 'https://evil.example/' }, /redirectUri/],
      [{ ...code, codeVerifier: 'short' }, /codeVerifier/],
    ] as const) {
      const answer = await post(stack.apiUrl, '/session/cognito', body);
      expect(answer.status).toBe(400);
      expect((answer.body as ApiErrorBody).error.message).toMatch(field);
    }
  });

  it("redeems a code the hosted UI sent to the web page's own address, and no other page's", async () => {
    const page = `${stack.apiUrl}/`;
    const elsewhere = [`${stack.apiUrl}/elsewhere/`, `http://127.0.0.1:${await closedPort()}/`, 'https://pages.example/'];
    await pool.setCallbackUrls([REDIRECT_URI, page, ...elsewhere]);
    try {
      const signedIn = await post(stack.apiUrl, '/session/cognito', await authorizationCode('bob', 'bob-demo-password', { redirectUri: page }));
      expect(signedIn.status, signedIn.text).toBe(200);
      // Auditors may also ask for payments-prod Developer (the demo's eligibility).
      expect(pairs(signedIn.body as SessionResponse)).toEqual(['data-prod/ReadOnly', 'payments-prod/Developer', 'payments-prod/ReadOnly']);
      for (const redirectUri of elsewhere) {
        const answer = await post(stack.apiUrl, '/session/cognito', await authorizationCode('bob', 'bob-demo-password', { redirectUri }));
        expect(answer.status, redirectUri).toBe(400);
        expect((answer.body as ApiErrorBody).error.message).toMatch(/redirectUri/);
      }
    } finally {
      await pool.setCallbackUrls([REDIRECT_URI]);
    }
  });
});

describe('stale groups and sign-out', () => {
  it("drops a group removed in the pool at the next refresh (the pool's refresh token re-reads it)", async () => {
    const session = await signIn('alice', 'alice-demo-password');
    await pool.removeFromGroup('alice', 'Developers');
    const refreshed = await post(stack.apiUrl, '/session/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const renewed = refreshed.body as SessionResponse;
    secrets.add(renewed.token);
    expect(renewed.user.groups).toEqual(['Platform-Admins']);
    expect(pairs(renewed)).not.toContain('sandbox/Developer');
    expect(hostedUi.calls).toContain('token:refresh_token');
  });

  it('ends the session of a person disabled in the pool', async () => {
    const session = await signIn('carol', 'carol-demo-password');
    await pool.disable('carol');
    const refreshed = await post(stack.apiUrl, '/session/refresh', { refreshToken: session.refreshToken });
    expect({ status: refreshed.status, code: (refreshed.body as ApiErrorBody).error?.code }).toEqual({ status: 401, code: 'session_ended' });
    expect((await fetch(`${stack.apiUrl}/entitlements`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(401);
  });

  it("signs out on the server and revokes the pool's refresh token", async () => {
    const session = await signIn('bob', 'bob-demo-password');
    const revokes = hostedUi.calls.filter((call) => call === 'revoke').length;
    expect((await post(stack.apiUrl, '/session/sign-out', { refreshToken: session.refreshToken }, session.token)).status).toBe(200);
    expect(hostedUi.calls.filter((call) => call === 'revoke').length).toBe(revokes + 1);
    expect((await post(stack.apiUrl, '/session/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });
});

describe('a Cognito session follows the person, and ends when the pool says so', () => {
  async function expectEnded(session: SessionResponse, reason: RegExp): Promise<void> {
    const refreshed = await post(stack.apiUrl, '/session/refresh', { refreshToken: session.refreshToken });
    expect({ status: refreshed.status, code: (refreshed.body as ApiErrorBody).error?.code }).toEqual({ status: 401, code: 'session_ended' });
    expect((refreshed.body as ApiErrorBody).error.message).toMatch(reason);
    expect((await fetch(`${stack.apiUrl}/entitlements`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(401);
  }

  it('ends when the person is deleted and another one created under the same user name (a new sub)', async () => {
    await pool.addPerson('dan', 'dan-pool-password', ['Developers']);
    secrets.add('dan-pool-password');
    const session = await signIn('dan', 'dan-pool-password');
    await pool.recreate('dan', 'dan-pool-password', ['Developers', 'Platform-Admins']);
    await expectEnded(session, /another account/);
  });

  it('ends when an administrator resets the password (AdminResetUserPassword), though the pool would still refresh', async () => {
    await pool.addPerson('erin', 'erin-pool-password', ['Auditors']);
    secrets.add('erin-pool-password');
    const session = await signIn('erin', 'erin-pool-password');
    await pool.resetPassword('erin');
    await expectEnded(session, /must be changed/);
  });

  it('ends when the person is signed out everywhere (AdminUserGlobalSignOut revokes the pool refresh tokens)', async () => {
    await pool.addPerson('finn', 'finn-pool-password', ['Auditors']);
    secrets.add('finn-pool-password');
    const session = await signIn('finn', 'finn-pool-password');
    await pool.signOutEverywhere('finn');
    await expectEnded(session, /single sign-on service/);
  });
});

describe("the pool's accounts, read with AdminGetUser at each refresh", () => {
  it('say which account ends a sign-in bound to a sub, and why', async () => {
    const accounts = userPoolAccounts(pool.client, pool.userPoolId);
    const subOf = async (username: string) =>
      (await pool.client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }))).UserAttributes?.find(
        (attribute) => attribute.Name === 'sub',
      )?.Value ?? '';
    await pool.addPerson('gina', 'gina-pool-password', []);
    const gina = await subOf('gina');
    expect(await accounts.endOf('gina', gina)).toBeUndefined();
    expect(await accounts.endOf('gina', 'another-sub')).toBe('person-replaced');
    expect(await accounts.endOf('nobody-here', gina)).toBe('account-unusable');
    await pool.disable('gina');
    expect(await accounts.endOf('gina', gina)).toBe('account-unusable');
    await pool.addPerson('hugo', 'hugo-pool-password', []);
    await pool.resetPassword('hugo');
    expect(await accounts.endOf('hugo', await subOf('hugo'))).toBe('password-must-change');
  });
});

describe('deployments and failures', () => {
  it('a Cognito-only deployment offers no password sign-in', async () => {
    const cognitoOnly = await otherApi({ SWITCHYARD_DIRECTORY: 'none' });
    try {
      expect(await (await fetch(`${cognitoOnly.url}/auth/config`)).json()).toMatchObject({ methods: ['cognito'] });
      expect((await post(cognitoOnly.url, '/session', { username: 'alice', password: 'alice-demo-password' })).status).toBe(404);
    } finally {
      await cognitoOnly.close();
    }
  });

  it("answers 503 directory_unavailable when the pool's token endpoint cannot be reached", async () => {
    const unreachable = await otherApi({ SWITCHYARD_COGNITO_DOMAIN: `http://127.0.0.1:${await closedPort()}` });
    try {
      const answer = await post(unreachable.url, '/session/cognito', await authorizationCode('bob', 'bob-demo-password'));
      expect(answer.status).toBe(503);
      expect((answer.body as ApiErrorBody).error.code).toBe('directory_unavailable');
    } finally {
      await unreachable.close();
    }
  });

  it('logs no password, code, verifier or token', () => {
    const logs = output.text();
    expect(logs).toContain('signed in');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
