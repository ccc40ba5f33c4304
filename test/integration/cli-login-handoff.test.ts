/**
 * The CLI's sign-in handoff over real HTTP against the local stack (POST /cli/authorize, POST /session/cli):
 * a person signed in on the web page gets a one-time code bound to the CLI's PKCE challenge and loopback
 * redirect; the CLI redeems it for a session of its own, renewable like the page's. Each hostile case is
 * refused with a 4xx and an audit record that says which: a redirect that is not loopback, a reused code
 * (also when two redemptions race), an expired code, a wrong verifier, another redirect.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliAuthorizeResponseSchema, type CliAuthorizeResponse } from '../../shared/api/cli-login.ts';
import { SessionResponseSchema, type SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { makeCliLoginCodes } from '../../backend/auth/cli-login-codes.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let api: RunningServer;
let late: RunningServer;
const logger = recordingLogger('switchyard-api', 'SILENT');
const { call, signIn } = apiCaller(() => api.url);
const lateApi = apiCaller(() => late.url);
let web: SessionResponse;

const REDIRECT = 'http://127.0.0.1:49152/callback';

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  const deps = await assembleApi(apiConfig(stack.env), { credentials: stack.moto.settings.credentials, logger });
  api = await serveApi(makeApiApp(deps), 0);
  // The same API a minute and a second later: every code it redeems has expired.
  late = await serveApi(makeApiApp({ ...deps, cliLoginCodes: makeCliLoginCodes(deps.state, { now: () => Date.now() + 61_000 }) }), 0);
  web = await signIn('alice', 'alice-demo-password');
});

afterAll(async () => {
  await api?.close();
  await late?.close();
  await stack?.stop();
});

beforeEach(() => {
  logger.entries.length = 0;
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const audits = () => logger.entries.filter((entry) => entry.message === 'cli sign-in attempt').map((entry) => entry.fields);

async function authorize(challenge: string, redirectUri = REDIRECT, extra: Record<string, unknown> = {}) {
  return call('/cli/authorize', {
    method: 'POST',
    token: web.token,
    json: { redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', refreshToken: web.refreshToken, ...extra },
  });
}

async function codeFor(challenge: string): Promise<CliAuthorizeResponse> {
  const answer = await authorize(challenge);
  expect(answer.status, answer.text).toBe(200);
  return CliAuthorizeResponseSchema.parse(answer.body);
}

const redeem = (json: unknown, caller = call) => caller('/session/cli', { method: 'POST', json });

describe('the CLI sign-in handoff', () => {
  it('gives the CLI a session of its own, renewable and ended on its own', async () => {
    const { verifier, challenge } = pkce();
    const { code, expiresAt } = await codeFor(challenge);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const answer = await redeem({ code, codeVerifier: verifier, redirectUri: REDIRECT });
    expect(answer.status, answer.text).toBe(200);
    const cli = SessionResponseSchema.parse(answer.body);
    expect(cli.user).toEqual(web.user);
    expect(cli.source).toBe('directory');
    expect(cli.token).not.toBe(web.token);
    expect(cli.refreshToken).toBeDefined();

    const refreshed = await call('/session/refresh', { method: 'POST', json: { refreshToken: cli.refreshToken } });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await call('/entitlements', { token: cli.token })).status).toBe(200);

    // Signing the CLI out leaves the web page signed in.
    await call('/session/sign-out', { method: 'POST', token: cli.token, json: { refreshToken: cli.refreshToken } });
    expectError(await call('/entitlements', { token: cli.token }), 401, 'unauthorized');
    expect((await call('/entitlements', { token: web.token })).status).toBe(200);

    expect(audits()).toMatchObject([
      { step: 'authorize', outcome: 'code_issued', status: 200, channel: 'cli', user: 'alice@corp.example.com', redirectHost: '127.0.0.1:49152' },
      { step: 'redeem', outcome: 'signed_in', status: 200, channel: 'cli', user: 'alice@corp.example.com', source: 'directory' },
    ]);
    const logged = logger.text();
    for (const secret of [code, verifier, web.token, web.refreshToken ?? '', cli.token, cli.refreshToken ?? '']) expect(logged).not.toContain(secret);
  });

  it('takes an IPv6 loopback redirect too', async () => {
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://[::1]:49152/callback';
    const answer = await authorize(challenge, redirectUri);
    expect(answer.status, answer.text).toBe(200);
    const { code } = answer.body as CliAuthorizeResponse;
    expect((await redeem({ code, codeVerifier: verifier, redirectUri })).status).toBe(200);
  });

  it.each([
    'http://evil.example.com:49152/callback',
    'https://127.0.0.1:49152/callback',
    'http://localhost:49152/callback',
    'http://127.0.0.1.evil.example.com:49152/callback',
    'http://user@127.0.0.1:49152/callback',
    'http://127.0.0.1/callback',
  ])('refuses the redirect %s, and the audit says it was not loopback', async (redirectUri) => {
    const message = expectError(await authorize(pkce().challenge, redirectUri), 400, 'bad_request');
    expect(message).toMatch(/^redirectUri: /);
    expect(audits()).toMatchObject([{ step: 'authorize', outcome: 'bad_request', refusal: 'redirect_not_loopback', user: 'alice@corp.example.com' }]);
    const { verifier } = pkce();
    expectError(await redeem({ code: 'x'.repeat(43), codeVerifier: verifier, redirectUri }), 400, 'bad_request');
  });

  it('refuses a reused code, even when two redemptions race', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor(challenge);
    const request = { code, codeVerifier: verifier, redirectUri: REDIRECT };
    const answers = await Promise.all([redeem(request), redeem(request), redeem(request)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    const again = expectError(await redeem(request), 400, 'invalid_grant');
    expect(again).toMatch(/already used/);
    expect(
      audits()
        .filter((record) => record.step === 'redeem')
        .map((record) => record.refusal ?? record.outcome),
    ).toEqual(expect.arrayContaining(['signed_in', 'code_reused', 'code_reused', 'code_reused']));
  });

  it('refuses an expired code', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor(challenge);
    expect(expectError(await redeem({ code, codeVerifier: verifier, redirectUri: REDIRECT }, lateApi.call), 400, 'invalid_grant')).toMatch(/expired/);
    expect(audits().at(-1)).toMatchObject({ step: 'redeem', outcome: 'invalid_grant', refusal: 'code_expired', user: 'alice@corp.example.com' });
  });

  it('refuses a wrong verifier, another redirect and an unknown code, and says which', async () => {
    const first = pkce();
    const wrong = await codeFor(first.challenge);
    expect(expectError(await redeem({ code: wrong.code, codeVerifier: pkce().verifier, redirectUri: REDIRECT }), 400, 'invalid_grant')).toMatch(
      /codeVerifier/,
    );
    // The code was spent by the wrong attempt: the right verifier comes too late.
    expectError(await redeem({ code: wrong.code, codeVerifier: first.verifier, redirectUri: REDIRECT }), 400, 'invalid_grant');

    const second = pkce();
    const moved = await codeFor(second.challenge);
    expectError(
      await redeem({ code: moved.code, codeVerifier: second.verifier, redirectUri: 'http://127.0.0.1:49153/callback' }),
      400,
      'invalid_grant',
    );
    expectError(
      await redeem({ code: randomBytes(32).toString('base64url'), codeVerifier: second.verifier, redirectUri: REDIRECT }),
      400,
      'invalid_grant',
    );

    expect(
      audits()
        .filter((record) => record.step === 'redeem')
        .map((record) => record.refusal),
    ).toEqual(['wrong_verifier', 'code_reused', 'redirect_mismatch', 'code_unknown']);
  });

  it('needs a signed-in person to issue a code, and the refresh token of that same session', async () => {
    const { challenge } = pkce();
    expectError(
      await call('/cli/authorize', { method: 'POST', json: { redirectUri: REDIRECT, codeChallenge: challenge, codeChallengeMethod: 'S256' } }),
      401,
      'unauthorized',
    );
    const other = await signIn('alice', 'alice-demo-password');
    expect(expectError(await authorize(challenge, REDIRECT, { refreshToken: other.refreshToken }), 400, 'bad_request')).toMatch(/^refreshToken: /);
    expectError(await authorize(challenge, REDIRECT, { codeChallengeMethod: 'plain' }), 400, 'bad_request');
  });

  it('without the refresh token, gives a session that ends with its access token', async () => {
    const { verifier, challenge } = pkce();
    const answer = await authorize(challenge, REDIRECT, { refreshToken: undefined });
    expect(answer.status, answer.text).toBe(200);
    const { code } = answer.body as CliAuthorizeResponse;
    const cli = SessionResponseSchema.parse((await redeem({ code, codeVerifier: verifier, redirectUri: REDIRECT })).body);
    expect(cli.refreshToken).toBeUndefined();
  });
});
