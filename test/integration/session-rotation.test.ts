/**
 * Refresh tokens are good once, over real HTTP against the local stack (the embedded directory, the
 * state table in moto): each refresh answers with the next token of the sign-in and retires the one it
 * was given. Presenting a retired token ends the whole sign-in, every copy of it; the same client
 * presenting the token it just traded, within the grace period (two tabs, two CLI processes, an answer
 * lost on the way), gets the same next token instead, so it stays signed in.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';
import { apiCaller, expectError, type ApiAnswer } from '../helpers/http-api.ts';

let stack: LocalStack;
let output: CapturedOutput;
const secrets = new Set<string>(['alice-demo-password', 'bob-demo-password']);
const TAB = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Switchyard-test-tab';

beforeAll(async () => {
  output = captureOutput();
  stack = await startLocalStack({ apiPort: 0, logLevel: 'DEBUG', sessionSecret: randomBytes(32).toString('base64') });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
});

function remember(session: SessionResponse): SessionResponse {
  secrets.add(session.token);
  if (session.refreshToken) secrets.add(session.refreshToken);
  return session;
}

async function signIn(username: string, password: string, apiUrl = stack.apiUrl): Promise<SessionResponse> {
  const answer = await apiCaller(() => apiUrl).call('/session', { method: 'POST', json: { username, password }, headers: { 'user-agent': TAB } });
  expect(answer.status, answer.text).toBe(200);
  return remember(answer.body as SessionResponse);
}

function refresh(refreshToken: string | undefined, options: { userAgent?: string; apiUrl?: string } = {}): Promise<ApiAnswer> {
  return apiCaller(() => options.apiUrl ?? stack.apiUrl).call('/session/refresh', {
    method: 'POST',
    json: { refreshToken },
    headers: { 'user-agent': options.userAgent ?? TAB },
  });
}

async function refreshed(refreshToken: string | undefined, options: { userAgent?: string; apiUrl?: string } = {}): Promise<SessionResponse> {
  const answer = await refresh(refreshToken, options);
  expect(answer.status, answer.text).toBe(200);
  return remember(answer.body as SessionResponse);
}

async function entitlementsStatus(token: string, apiUrl = stack.apiUrl): Promise<number> {
  return (await apiCaller(() => apiUrl).call('/entitlements', { token })).status;
}

async function otherApi(overrides: EnvInput): Promise<{ url: string; close(): Promise<void> }> {
  const deps = await assembleApi(apiConfig({ ...stack.env, ...overrides }), {
    credentials: stack.moto.settings.credentials,
    logger: createLogger('switchyard-api-test', 'DEBUG'),
  });
  return serveApi(makeApiApp(deps), 0);
}

describe('refresh tokens are rotated', () => {
  it('answers each refresh with a new refresh token of the same sign-in', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const first = await refreshed(session.refreshToken);
    const second = await refreshed(first.refreshToken);
    expect(new Set([session.refreshToken, first.refreshToken, second.refreshToken]).size).toBe(3);
    expect(second.refreshExpiresAt).toBe(session.refreshExpiresAt);
    expect(await entitlementsStatus(second.token)).toBe(200);
  });

  it('ends the whole sign-in, every copy, when a retired refresh token comes back from another client', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const current = await refreshed(session.refreshToken);
    // A copy of the first refresh token, used elsewhere after the real client traded it.
    const reused = await refresh(session.refreshToken, { userAgent: 'curl/8.5.0' });
    expect(expectError(reused, 401, 'refresh_reused')).toMatch(/used twice/);
    // The real client's newest token and access token are ended as well: the sign-in is over.
    expectError(await refresh(current.refreshToken), 401, 'refresh_reused');
    expect(await entitlementsStatus(current.token)).toBe(401);
    expect(await entitlementsStatus(session.token)).toBe(401);
  });

  it('ends the whole sign-in when the same client presents a retired token after the grace period', async () => {
    const shortGrace = await otherApi({ SWITCHYARD_REFRESH_REUSE_GRACE_SECONDS: '1' });
    try {
      const session = await signIn('bob', 'bob-demo-password', shortGrace.url);
      const current = await refreshed(session.refreshToken, { apiUrl: shortGrace.url });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expectError(await refresh(session.refreshToken, { apiUrl: shortGrace.url }), 401, 'refresh_reused');
      expectError(await refresh(current.refreshToken, { apiUrl: shortGrace.url }), 401, 'refresh_reused');
      expect(await entitlementsStatus(current.token, shortGrace.url)).toBe(401);
    } finally {
      await shortGrace.close();
    }
  });

  it('ends the whole sign-in when a token two generations old comes back, even from the same client at once', async () => {
    const session = await signIn('bob', 'bob-demo-password');
    const first = await refreshed(session.refreshToken);
    const second = await refreshed(first.refreshToken);
    expectError(await refresh(session.refreshToken), 401, 'refresh_reused');
    expect(await entitlementsStatus(second.token)).toBe(401);
  });
});

describe('the same client refreshing twice at once stays signed in', () => {
  it('two concurrent refreshes with one token both succeed, and the sign-in goes on', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const [one, two] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([one?.status, two?.status]).toEqual([200, 200]);
    const [a, b] = [remember(one!.body as SessionResponse), remember(two!.body as SessionResponse)];
    expect(await entitlementsStatus(a.token)).toBe(200);
    expect(await entitlementsStatus(b.token)).toBe(200);
    // Whichever answer the client kept, it refreshes on.
    const next = await refreshed(b.refreshToken);
    expect(await entitlementsStatus(next.token)).toBe(200);
    expect(await entitlementsStatus(a.token)).toBe(200);
  });

  it('a client whose answer was lost retries with the same token within the grace period', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    await refreshed(session.refreshToken); // the answer that never arrived
    const retried = await refreshed(session.refreshToken);
    const onwards = await refreshed(retried.refreshToken);
    expect(await entitlementsStatus(onwards.token)).toBe(200);
  });

  it('three processes of one client refreshing at once all stay signed in', async () => {
    const session = await signIn('bob', 'bob-demo-password');
    const answers = await Promise.all([1, 2, 3].map(() => refresh(session.refreshToken)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    for (const answer of answers) expect(await entitlementsStatus(remember(answer.body as SessionResponse).token)).toBe(200);
  });
});

describe('sign-out', () => {
  it('ends every copy of the sign-in, whichever of its refresh tokens it is given', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const current = await refreshed(session.refreshToken);
    const signedOut = await apiCaller(() => stack.apiUrl).call('/session/sign-out', { method: 'POST', json: { refreshToken: current.refreshToken } });
    expect(signedOut.status).toBe(200);
    expectError(await refresh(current.refreshToken), 401, 'unauthorized');
    expect(await entitlementsStatus(current.token)).toBe(401);
    expect(await entitlementsStatus(session.token)).toBe(401);
  });
});

describe('logs', () => {
  it('name a reused refresh token, and hold no token or password', () => {
    const logs = output.text();
    expect(logs).toContain('refresh token used twice');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
