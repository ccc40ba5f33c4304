/**
 * What ends a session, against a real Active Directory (a Samba AD DC this suite starts on a loopback
 * address of its own) behind the whole local stack: a refresh ends the sign-in when the account it began
 * with is not the one the directory has now (deleted and re-created under the same name), when the
 * password was set again after the sign-in, when it must be changed (pwdLastSet = 0), and when the
 * account is locked out. (An expired password is not tried here: Samba treats a maximum password age
 * under one day as "never expires", so no password can expire within a test run. The bit it would set
 * is read as test/integration/directory.test.ts shows, and backend/auth/session-ends.test.ts decides on it.) Each end is a 401 `session_ended` that also stops the session's
 * access token on the server. Failed sign-ins are counted per person, whichever name they are typed
 * as, and shared by every API instance through the state table.
 */
import { randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { DOMAIN, personDn, type DirectorySeed, type SambaDomain, type SeedPerson } from '../../backend/local/samba.ts';
import { ldapSignInEnv } from '../../backend/local/samba-sign-in.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';
import { apiCaller, expectError, type ApiAnswer } from '../helpers/http-api.ts';
import { startTestDirectory, TEST_SEED } from '../helpers/samba.ts';

const person = (username: string): SeedPerson => ({
  username,
  password: `${username}-test-password`,
  displayName: `${username[0]?.toUpperCase()}${username.slice(1)} Bounds`,
  groups: ['Developers'],
});
const KATE = person('kate');
const GRACE = person('grace');
const HEIDI = person('heidi');
const IVAN = person('ivan');
const LEO = person('leo');
const SEED: DirectorySeed = { groups: TEST_SEED.groups, people: [...TEST_SEED.people, KATE, GRACE, HEIDI, IVAN, LEO] };

let domain: SambaDomain;
let stack: LocalStack;
let output: CapturedOutput;
const secrets = new Set<string>(SEED.people.map((seeded) => seeded.password));
const { call } = apiCaller(() => stack.apiUrl);

beforeAll(async () => {
  output = captureOutput();
  domain = await startTestDirectory(SEED);
  stack = await startLocalStack({ apiPort: 0, logLevel: 'DEBUG', signIn: (moto) => ldapSignInEnv(domain, moto) });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
  await domain?.stop();
});

async function signIn(username: string, password: string, apiUrl = stack.apiUrl): Promise<SessionResponse> {
  const answer = await post('/session', { username, password }, apiUrl);
  expect(answer.status, answer.text).toBe(200);
  const session = answer.body as SessionResponse;
  secrets.add(session.token);
  if (session.refreshToken) secrets.add(session.refreshToken);
  return session;
}

function post(path: string, json: unknown, apiUrl = stack.apiUrl): Promise<ApiAnswer> {
  return apiCaller(() => apiUrl).call(path, { method: 'POST', json });
}

function refresh(session: SessionResponse): Promise<ApiAnswer> {
  return post('/session/refresh', { refreshToken: session.refreshToken });
}

/** Runs `change` as the domain's administrator. */
async function asAdmin(change: (admin: Client) => Promise<void>): Promise<void> {
  const admin = await domain.adminClient();
  try {
    await change(admin);
  } finally {
    await admin.unbind();
  }
}

function replace(type: string, value: string | Buffer): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] as string[] | Buffer[] }) });
}

/** The session still works: a refresh is answered and its token lists entitlements. */
async function expectAlive(session: SessionResponse): Promise<SessionResponse> {
  const answer = await refresh(session);
  expect(answer.status, answer.text).toBe(200);
  const renewed = answer.body as SessionResponse;
  secrets.add(renewed.token);
  if (renewed.refreshToken) secrets.add(renewed.refreshToken);
  expect((await call('/entitlements', { token: renewed.token })).status).toBe(200);
  return renewed;
}

/** The refresh ends the sign-in with `session_ended`, and the access token it began with stops working too. */
async function expectEnded(session: SessionResponse, reason: RegExp): Promise<void> {
  const message = expectError(await refresh(session), 401, 'session_ended');
  expect(message).toMatch(reason);
  expectError(await call('/entitlements', { token: session.token }), 401, 'unauthorized');
  // Ended for good: the same refresh token is refused again, with the same reason.
  expect(expectError(await refresh(session), 401, 'session_ended')).toMatch(reason);
}

describe('a session follows the person, not the account name', () => {
  it('ends when the account was deleted and another one created under the same name', async () => {
    const session = await signIn('kate', KATE.password);
    const renewed = await expectAlive(session);
    await asAdmin((admin) => admin.del(personDn(KATE)));
    await domain.seed({ groups: [], people: [{ ...KATE, password: 'the-new-kates-password', displayName: 'Kate the Second', cn: 'Kate Bounds' }] });
    secrets.add('the-new-kates-password');
    await expectEnded(renewed, /another account|replaced/);
    // The new person signs in as themselves.
    expect((await signIn('kate', 'the-new-kates-password')).user.displayName).toBe('Kate the Second');
  });
});

describe('a session ends when the directory says the password or the account changed', () => {
  it('ends when the password was set again after the sign-in', async () => {
    const session = await signIn('grace@corp.example.com', GRACE.password);
    await expectAlive(session);
    await asAdmin((admin) => admin.modify(personDn(GRACE), replace('unicodePwd', Buffer.from('"grace-reset-password"', 'utf16le'))));
    secrets.add('grace-reset-password');
    await expectEnded(session, /password was changed/);
    // A sign-in with the new password starts a session that lives.
    await expectAlive(await signIn('grace', 'grace-reset-password'));
  });

  it('ends when the password must be changed at next logon (pwdLastSet = 0)', async () => {
    const session = await signIn('CORP\\heidi', HEIDI.password);
    await expectAlive(session);
    await asAdmin((admin) => admin.modify(personDn(HEIDI), replace('pwdLastSet', '0')));
    await expectEnded(session, /must be changed/);
  });

  it('ends when the account is locked out (failed binds elsewhere reach the lockout threshold)', async () => {
    const session = await signIn('ivan', IVAN.password);
    await expectAlive(session);
    await asAdmin((admin) => admin.modify(DOMAIN.baseDn, replace('lockoutThreshold', '3')));
    try {
      // Someone guesses ivan's password at another door of the domain, not through Switchyard.
      const ca = await readFile(domain.caFile, 'utf8');
      for (let attempt = 0; attempt < 3; attempt++) {
        const client = new Client({ url: domain.ldapsUrl, tlsOptions: { ca } });
        await expect(client.bind(`ivan@${DOMAIN.dnsName}`, `not-ivans-password-${attempt}`)).rejects.toThrow();
        await client.unbind().catch(() => undefined);
      }
      await expectEnded(session, /locked/);
    } finally {
      await asAdmin((admin) => admin.modify(DOMAIN.baseDn, replace('lockoutThreshold', '0')));
    }
  });
});

describe('failed sign-ins are counted per person and per address, across instances', () => {
  async function otherApi(overrides: EnvInput = {}): Promise<{ url: string; close(): Promise<void> }> {
    const deps = await assembleApi(apiConfig({ ...stack.env, ...overrides }), {
      credentials: stack.moto.settings.credentials,
      logger: createLogger('switchyard-api-test', 'DEBUG'),
    });
    return serveApi(makeApiApp(deps), 0);
  }

  it('slows down dave.smith@example.com once dsmith failed five times, on another instance too', async () => {
    const other = await otherApi();
    try {
      for (const [index, username] of ['dsmith', 'CORP\\dsmith', 'DSmith', 'dsmith', 'dsmith'].entries()) {
        const apiUrl = index % 2 === 0 ? stack.apiUrl : other.url;
        expectError(await post('/session', { username, password: `wrong-${index}` }, apiUrl), 401, 'invalid_credentials');
      }
      // The same person under their UPN, on either instance: slowed down without asking the directory.
      for (const apiUrl of [stack.apiUrl, other.url]) {
        const slowed = await post('/session', { username: 'dave.smith@example.com', password: 'dave-test-password' }, apiUrl);
        expectError(slowed, 429, 'too_many_attempts');
        expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Someone else is not slowed down by dsmith's failures.
      await signIn('leo', LEO.password, other.url);
    } finally {
      await other.close();
    }
  });

  it('slows down one source address that fails for many names', async () => {
    // A key of its own, so this instance's counts start from zero (they are kept under keyed hashes).
    const strict = await otherApi({ SWITCHYARD_SIGN_IN_ADDRESS_FREE_FAILURES: '3', SWITCHYARD_SESSION_SECRET: randomBytes(32).toString('base64') });
    try {
      for (const username of ['nobody-1', 'nobody-2', 'nobody-3']) {
        expectError(await post('/session', { username, password: 'guess' }, strict.url), 401, 'invalid_credentials');
      }
      expectError(await post('/session', { username: 'leo', password: LEO.password }, strict.url), 429, 'too_many_attempts');
    } finally {
      await strict.close();
    }
  });
});

describe('logs', () => {
  it('hold no password and no token', () => {
    const logs = output.text();
    expect(logs).toContain('session ended on refresh');
    for (const secret of [...secrets, domain.service.password, domain.admin.password]) expect(logs).not.toContain(secret);
  });
});
