/**
 * The HTTP API signing people in against a real Active Directory (a Samba AD DC on a loopback address
 * of its own), with the whole local stack: moto, the reconciled policy, the service account's password
 * in Secrets Manager. Group changes in the directory reach the entitlements at the next refresh; a dead
 * or hung directory answers 503 quickly.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfigResponse } from '../../shared/api/auth-config.ts';
import type { ApiErrorBody } from '../../shared/api/errors.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { DOMAIN, groupDn, personDn, removeMember, type SambaDomain } from '../../backend/local/samba.ts';
import { ldapSignInEnv } from '../../backend/local/samba-sign-in.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { DEMO_POLICY_DIR, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';
import { closedPort, startSilentServer, type SilentServer } from '../helpers/dead-servers.ts';
import { startTestDirectory, TEST_SEED } from '../helpers/samba.ts';

let domain: SambaDomain;
let stack: LocalStack;
let policyDir: string;
let silent: SilentServer;
let output: CapturedOutput;
const secrets = new Set<string>(['alice-demo-password', 'eve-test-password', 'frank-test-password', 'bob-demo-password']);
const frank = TEST_SEED.people.find((person) => person.username === 'frank')!;

/** Assignments by an escaped-comma DN and by the top of a nested chain, on top of the demo's. */
const EXTRA_ASSIGNMENTS = `
  - group: 'CN=AWS\\, Admins,OU=Groups,DC=corp,DC=example,DC=com'
    permissionSet: ReadOnly
    accounts: { names: [sandbox] }

  - group: Level-1
    permissionSet: Developer
    accounts: { names: [data-prod] }
`;

beforeAll(async () => {
  output = captureOutput();
  domain = await startTestDirectory();
  silent = await startSilentServer();
  policyDir = await mkdtemp(join(tmpdir(), 'switchyard-policy-'));
  await cp(DEMO_POLICY_DIR, policyDir, { recursive: true });
  const assignments = join(policyDir, 'assignments.yaml');
  await writeFile(assignments, `${await readFile(assignments, 'utf8')}${EXTRA_ASSIGNMENTS}`);
  stack = await startLocalStack({ apiPort: 0, logLevel: 'DEBUG', policyDir, signIn: (moto) => ldapSignInEnv(domain, moto) });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
  await silent?.close();
  await domain?.stop();
  if (policyDir) await rm(policyDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function signIn(username: string, password: string): Promise<SessionResponse> {
  const answer = await call(stack.apiUrl, 'POST', '/session', { username, password });
  expect(answer.status, answer.text).toBe(200);
  const session = answer.body as SessionResponse;
  secrets.add(session.token);
  if (session.refreshToken) secrets.add(session.refreshToken);
  return session;
}

function pairs(session: { entitlements: { accountName: string; permissionSet: string }[] }): string[] {
  return session.entitlements.map((entitlement) => `${entitlement.accountName}/${entitlement.permissionSet}`).sort();
}

/** Another API over the same stack (bucket, keys, moto) with other sign-in settings. */
async function otherApi(overrides: EnvInput): Promise<{ url: string; close(): Promise<void> }> {
  const deps = await assembleApi(apiConfig({ ...stack.env, ...overrides }), {
    credentials: stack.moto.settings.credentials,
    logger: createLogger('switchyard-api-test', 'DEBUG'),
  });
  return serveApi(makeApiApp(deps), 0);
}

describe('sign-in against the directory', () => {
  it('offers directory sign-in only', async () => {
    expect((await call(stack.apiUrl, 'GET', '/auth/config')).body as AuthConfigResponse).toEqual({ methods: ['directory'] });
  });

  it("lists alice's entitlements, her Developers membership coming through a nested group", async () => {
    const session = await signIn('CORP\\alice', 'alice-demo-password');
    expect(session.user.id).toBe('alice@corp.example.com');
    expect(session.user.groups.sort()).toEqual([groupDn('Developers'), groupDn('Platform-Admins')].sort());
    expect(pairs(session)).toEqual([
      'data-prod/AdministratorAccess',
      'payments-dev/AdministratorAccess',
      'payments-dev/Developer',
      'payments-prod/AdministratorAccess',
      'sandbox/AdministratorAccess',
      'sandbox/Developer',
    ]);
  });

  it('matches an assignment written as a DN with an escaped comma, and one three nestings up', async () => {
    const session = await signIn('eve@corp.example.com', 'eve-test-password');
    expect(pairs(session)).toEqual(['data-prod/Developer', 'sandbox/ReadOnly']);
    // The token carries the groups assignments name, not every group the directory knows.
    expect(session.user.groups.sort()).toEqual([groupDn('AWS, Admins'), groupDn('Level-1')].sort());
  });

  it('answers wrong passwords, unknown people, other domains and filter syntax with the same 401 body', async () => {
    const reference = await call(stack.apiUrl, 'POST', '/session', { username: 'bob', password: 'not-bobs-password' });
    expect(reference.status).toBe(401);
    for (const username of ['nobody-here', 'bob@evil.example.com', 'EVIL\\bob', '*', 'bob)(|(cn=*', '*)(objectClass=*']) {
      const answer = await call(stack.apiUrl, 'POST', '/session', { username, password: 'bob-demo-password' });
      expect(answer.text, username).toBe(reference.text);
    }
  });
});

describe('stale groups', () => {
  it('drops a group removed in the directory at the next refresh, and ends the session of a disabled account', async () => {
    const session = await signIn('frank', 'frank-test-password');
    expect(pairs(session)).toEqual([
      'data-prod/ReadOnly',
      'payments-dev/Developer',
      'payments-prod/Developer',
      'payments-prod/ReadOnly',
      'sandbox/Developer',
    ]);
    const admin = await domain.adminClient();
    try {
      await removeMember(admin, groupDn('Developers'), personDn(frank));
      const refreshed = await call(stack.apiUrl, 'POST', '/session/refresh', { refreshToken: session.refreshToken });
      expect(refreshed.status).toBe(200);
      const renewed = refreshed.body as SessionResponse;
      secrets.add(renewed.token);
      expect(pairs(renewed)).toEqual(['data-prod/ReadOnly', 'payments-prod/Developer', 'payments-prod/ReadOnly']);
      expect(renewed.refreshExpiresAt).toBe(session.refreshExpiresAt);

      await admin.modify(
        personDn(frank),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['514'] }) }),
      );
    } finally {
      await admin.unbind();
    }
    const ended = await call(stack.apiUrl, 'POST', '/session/refresh', { refreshToken: session.refreshToken });
    expect(ended.status).toBe(401);
    // The refresh that found the account disabled ended the session: its access tokens stop too.
    expect((await call(stack.apiUrl, 'GET', '/entitlements', undefined, session.token)).status).toBe(401);
  });

  it('signs out on the server', async () => {
    const session = await signIn('bob', 'bob-demo-password');
    expect((await call(stack.apiUrl, 'POST', '/session/sign-out', { refreshToken: session.refreshToken }, session.token)).status).toBe(200);
    expect((await call(stack.apiUrl, 'GET', '/entitlements', undefined, session.token)).status).toBe(401);
    expect((await call(stack.apiUrl, 'POST', '/session/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });
});

describe('a dead or hung directory', () => {
  it('answers 503 directory_unavailable quickly, for sign-in and refresh, and keeps the session', async () => {
    const session = await signIn('alice', 'alice-demo-password');
    const dead = await otherApi({
      SWITCHYARD_LDAP_URLS: `ldaps://127.0.0.1:${await closedPort()},ldaps://127.0.0.1:${silent.port}`,
      SWITCHYARD_LDAP_TIMEOUT_MS: '300',
    });
    try {
      for (const [path, body] of [
        ['/session', { username: 'alice', password: 'alice-demo-password' }],
        ['/session/refresh', { refreshToken: session.refreshToken }],
      ] as const) {
        const started = Date.now();
        const answer = await call(dead.url, 'POST', path, body);
        expect(answer.status, path).toBe(503);
        expect((answer.body as ApiErrorBody).error.code).toBe('directory_unavailable');
        // Not a speed target: proof that it ends (two URLs, 0.3 s timeouts) rather than hangs.
        expect(Date.now() - started, path).toBeLessThan(5000);
      }
    } finally {
      await dead.close();
    }
    // The directory not answering is not the session's fault: it still refreshes where the directory answers.
    expect((await call(stack.apiUrl, 'POST', '/session/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
  });

  it('warns at start when plain LDAP is allowed, and signs in over it', async () => {
    const plain = await otherApi({
      SWITCHYARD_LDAP_URLS: domain.ldapUrl,
      SWITCHYARD_LDAP_ALLOW_PLAIN: 'true',
    });
    try {
      expect(output.text()).toMatch(/SWITCHYARD_LDAP_ALLOW_PLAIN is true: passwords cross the network to these directory servers unencrypted/);
      expect((await call(plain.url, 'POST', '/session', { username: 'alice', password: 'alice-demo-password' })).status).toBe(200);
    } finally {
      await plain.close();
    }
    const startTls = await otherApi({ SWITCHYARD_LDAP_URLS: domain.ldapUrl, SWITCHYARD_LDAP_STARTTLS: 'true' });
    try {
      expect((await call(startTls.url, 'POST', '/session', { username: 'alice', password: 'alice-demo-password' })).status).toBe(200);
    } finally {
      await startTls.close();
    }
  });
});

describe('logs', () => {
  it('hold no password and no token, on the success and the failure paths', () => {
    const logs = output.text();
    expect(logs).toContain('signed in');
    expect(logs).toContain('sign-in refused');
    expect(logs).toContain('directory did not answer');
    for (const secret of [...secrets, domain.service.password, domain.admin.password]) expect(logs).not.toContain(secret);
    expect(logs).not.toContain(DOMAIN.baseDn.toLowerCase() + '\u0000');
  });
});
