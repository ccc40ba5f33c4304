/**
 * Sign-in over real HTTP against the local stack (moto, the reconciled demo policy, the embedded
 * directory): bad input and abuse, sessions with a key id, refresh and
 * server-side sign-out. The LDAP and Cognito paths have suites of their own (directory*, cognito*).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfigResponse } from '../../shared/api/auth-config.ts';
import type { ApiErrorBody } from '../../shared/api/errors.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { RecordingMetrics } from '../../backend/metrics/recording-metrics.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';

let stack: LocalStack;
let output: CapturedOutput;
const metrics = new RecordingMetrics();
/** Every secret the tests send or receive; none may appear in any log line. */
const secrets = new Set<string>();

beforeAll(async () => {
  output = captureOutput();
  stack = await startLocalStack({ apiPort: 0, logLevel: 'DEBUG', apiMetrics: metrics });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
});

interface Answer {
  status: number;
  text: string;
  body: unknown;
  headers: Headers;
}

async function post(path: string, body: unknown, init: { token?: string; raw?: BodyInit } = {}): Promise<Answer> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const response = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
}

async function get(path: string, token?: string): Promise<Answer> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
}

async function signIn(username: string, password: string): Promise<SessionResponse> {
  secrets.add(password);
  const answer = await post('/session', { username, password });
  expect(answer.status).toBe(200);
  const session = answer.body as SessionResponse;
  secrets.add(session.token);
  if (session.refreshToken) secrets.add(session.refreshToken);
  return session;
}

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect((answer.body as ApiErrorBody).error.code).toBe(code);
  expect(answer.text).not.toMatch(/\n\s+at /);
  for (const secret of secrets) expect(answer.text).not.toContain(secret);
}

describe('what a deployment offers', () => {
  it('GET /auth/config names the sign-in methods without authentication', async () => {
    const answer = await get('/auth/config');
    expect(answer.status).toBe(200);
    expect(answer.body as AuthConfigResponse).toEqual({ methods: ['directory'] });
  });
});

describe('sessions', () => {
  it('issues a short access token with a key id, and a refresh token that re-reads the person', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const header = decodeProtectedHeader(session.token);
    expect(header.kid).toMatch(/^[\w-]{4,64}$/);
    const claims = decodeJwt(session.token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(15 * 60);
    expect(session.source).toBe('directory');
    expect(session.refreshToken).toEqual(expect.any(String));

    const refreshed = await post('/session/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const again = refreshed.body as SessionResponse;
    secrets.add(again.token);
    expect(again.token).not.toBe(session.token);
    expect(again.user).toEqual(session.user);
    expect(again.entitlements).toEqual(session.entitlements);
    expect((await get('/entitlements', again.token)).status).toBe(200);
  });

  it('signs out on the server: the token and the refresh token stop working everywhere', async () => {
    const session = await signIn('bob', 'bob-demo-password');
    expect((await get('/entitlements', session.token)).status).toBe(200);
    const signedOut = await post('/session/sign-out', { refreshToken: session.refreshToken }, { token: session.token });
    expect(signedOut.status).toBe(200);
    expectError(await get('/entitlements', session.token), 401, 'unauthorized');
    expectError(await post('/session/refresh', { refreshToken: session.refreshToken }), 401, 'unauthorized');
    expectError(
      await post('/federate', { accountId: session.entitlements[0]?.accountId, permissionSet: 'ReadOnly' }, { token: session.token }),
      401,
      'unauthorized',
    );
  });

  it('refuses forged, tampered and malformed refresh tokens alike', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const refreshToken = session.refreshToken ?? '';
    const tampered = `${refreshToken.slice(0, -6)}AAAAAA`;
    for (const candidate of [tampered, session.token, 'not-a-token']) {
      expectError(await post('/session/refresh', { refreshToken: candidate }), 401, 'unauthorized');
    }
  });
});

describe('bad input and abuse', () => {
  it('answers a wrong password and an unknown user with the same 401 body', async () => {
    const wrongPassword = await post('/session', { username: 'alice', password: 'not-alices-password' });
    const unknownUser = await post('/session', { username: 'mallory', password: 'not-alices-password' });
    expectError(wrongPassword, 401, 'invalid_credentials');
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.text).toBe(wrongPassword.text);
  });

  it('signs no one in with a name of another domain', async () => {
    for (const username of ['alice@evil.example.com', 'EVIL\\alice']) {
      expectError(await post('/session', { username, password: 'alice-demo-password' }), 401, 'invalid_credentials');
    }
  });

  it('gives LDAP filter syntax in the name no meaning', async () => {
    for (const username of ['*', 'alice)(|(cn=*', 'al*', '\\2a', 'alice\\']) {
      expectError(await post('/session', { username, password: 'alice-demo-password' }), 401, 'invalid_credentials');
    }
  });

  it('answers empty, huge and control-character credentials with 400, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ username: '', password: 'x' }, /username/],
      [{ username: 'alice', password: '' }, /password/],
      [{ username: 'a'.repeat(300), password: 'x' }, /username/],
      [{ username: 'alice', password: 'p'.repeat(2000) }, /password/],
      [{ username: 'alice\u0000', password: 'x' }, /username/],
      [{ username: 'ali\nce', password: 'x' }, /username/],
      [{ username: 'alice', password: 'pass\u0000word' }, /password/],
    ];
    for (const [body, field] of cases) {
      const answer = await post('/session', body);
      expectError(answer, 400, 'bad_request');
      expect((answer.body as ApiErrorBody).error.message).toMatch(field);
    }
  });

  it('answers a body that is not UTF-8 with 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"username":"ali'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","password":"x"}')]);
    const answer = await post('/session', undefined, { raw: bytes });
    expectError(answer, 400, 'bad_request');
    expect((answer.body as ApiErrorBody).error.message).toMatch(/UTF-8/);
  });

  it('slows down repeated failures for one user name, whichever way it is written, and not for others', async () => {
    metrics.recorded.length = 0;
    const answers: Answer[] = [];
    for (const username of ['carol', 'CORP\\carol', 'carol@corp.example.com', 'Carol', 'carol', 'carol', 'carol']) {
      answers.push(await post('/session', { username, password: `wrong-${answers.length}` }));
    }
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    const slowed = answers[5]!;
    expectError(slowed, 429, 'too_many_attempts');
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password does not get through while the name is slowed down...
    expectError(await post('/session', { username: 'carol', password: 'carol-demo-password' }), 429, 'too_many_attempts');
    // ...and other names are not affected.
    expect((await post('/session', { username: 'bob', password: 'bob-demo-password' })).status).toBe(200);
    // Operations see each refusal and each slowed-down attempt, counted by what, and never whose.
    expect(metrics.of('signInFailures')).toEqual(
      Array.from({ length: 5 }, () => ({ metric: 'signInFailures', value: 1, dimensions: { Method: 'directory' } })),
    );
    // The two wrong passwords and the right one, each while the name was slowed down.
    expect(metrics.of('signInsSlowedDown')).toEqual(
      Array.from({ length: 3 }, () => ({ metric: 'signInsSlowedDown', value: 1, dimensions: { CountedBy: 'person' } })),
    );
  });

  it('never logs the user name as typed: people type passwords into it', async () => {
    const typedIntoUsername = 'Hunter2-typed-into-the-username-field';
    secrets.add(typedIntoUsername);
    expectError(await post('/session', { username: typedIntoUsername, password: 'x' }), 401, 'invalid_credentials');
    expect(output.text()).toContain('sign-in refused');
    expect(output.text()).not.toContain(typedIntoUsername);
    expect(output.text().toLowerCase()).not.toContain(typedIntoUsername.toLowerCase());
  });

  it('never writes a password or a token to any log stream, on success and failure paths', () => {
    const logs = output.text();
    expect(logs).toContain('signed in');
    expect(logs).toContain('sign-in refused');
    expect(secrets.size).toBeGreaterThan(8);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
