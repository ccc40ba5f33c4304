import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/contract.ts';
import { makeApiClient } from './api-client.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeMessageHandler } from './message-handler.ts';
import { startScriptedServer } from '../../test/helpers/scripted-server.ts';
import type { ScriptedServer } from '../../test/helpers/scripted-server.ts';
import { makeSessionStore } from './session-store.ts';
import { memoryArea } from './storage-area.ts';

const alice = { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] };
const sandbox: Entitlement = {
  accountId: '444444444444',
  accountName: 'sandbox',
  regions: ['eu-west-1'],
  permissionSet: 'Developer',
  sessionDurationSeconds: 3600,
};
const dataProd: Entitlement = { ...sandbox, accountId: '333333333333', accountName: 'data-prod', permissionSet: 'ReadOnly' };
const SIGN_IN_URL = 'http://127.0.0.1:9/federation?Action=login&SigninToken=very-secret';
const signIn = { type: 'session/sign-in', credentials: { username: 'alice', password: 'alice-pw' } };
const open = { type: 'console/open', target: { accountId: sandbox.accountId, permissionSet: sandbox.permissionSet, region: 'eu-west-1' } };

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

function setup() {
  const area = memoryArea();
  const opened: string[] = [];
  const handle = makeMessageHandler({
    api: makeApiClient({ baseUrl: server.url }),
    session: makeSessionStore(area),
    cache: makeEntitlementCache(area),
    openTab: async (url) => {
      opened.push(url);
    },
  });
  return { area, opened, handle };
}

beforeEach(() => {
  server.requests.length = 0;
  server.answer('POST /session', ({ body }) =>
    (body as { password?: string }).password === 'alice-pw'
      ? {
          status: 200,
          body: {
            token: 'session-token',
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            source: 'directory',
            user: alice,
            entitlements: [sandbox],
          },
        }
      : { status: 401, body: { error: { code: 'invalid_credentials', message: 'wrong username or password' } } },
  );
  server.answer('GET /entitlements', ({ authorization }) =>
    authorization === 'Bearer session-token'
      ? { status: 200, body: { user: alice, entitlements: [sandbox, dataProd] } }
      : { status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } },
  );
  server.answer('POST /federate', { status: 200, body: { url: SIGN_IN_URL } });
});

describe('makeMessageHandler', () => {
  it('starts signed out', async () => {
    expect(await setup().handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
  });

  it('signs in, keeps the token in its session area only, and never hands it to the popup', async () => {
    const { area, handle } = setup();
    const reply = await handle(signIn);
    expect(reply).toMatchObject({ ok: true, user: alice, entitlements: [sandbox] });
    expect(JSON.stringify(reply)).not.toContain('session-token');
    expect(area.entries.get('session')).toMatchObject({ token: 'session-token' });
  });

  it('answers session/get from the cache without calling the backend, and refresh updates it', async () => {
    const { handle } = setup();
    await handle(signIn);
    const before = server.requests.length;
    expect(await handle({ type: 'session/get' })).toMatchObject({ ok: true, signedIn: true, entitlements: [sandbox] });
    expect(server.requests.length).toBe(before);
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true, entitlements: [sandbox, dataProd] });
    expect(await handle({ type: 'session/get' })).toMatchObject({ entitlements: [sandbox, dataProd] });
  });

  it('reports a wrong password and stores nothing', async () => {
    const { area, handle } = setup();
    const reply = await handle({ ...signIn, credentials: { username: 'alice', password: 'nope' } });
    expect(reply).toEqual({ ok: false, kind: 'invalid-credentials', message: 'Wrong username or password.' });
    expect(area.entries.size).toBe(0);
  });

  it('ends the session when the backend answers 401', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } });
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: false, kind: 'signed-out' });
    expect(area.entries.size).toBe(0);
    expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
  });

  it('opens the console URL in a tab and does not return it', async () => {
    const { handle, opened } = setup();
    await handle(signIn);
    const reply = await handle(open);
    expect(reply).toEqual({ ok: true });
    expect(opened).toEqual([SIGN_IN_URL]);
    expect(server.requests.at(-1)).toMatchObject({ path: '/federate', authorization: 'Bearer session-token', body: open.target });
  });

  it('reports 403 without opening a tab and keeps the session', async () => {
    const { area, handle, opened } = setup();
    await handle(signIn);
    server.answer('POST /federate', { status: 403, body: { error: { code: 'forbidden', message: 'not entitled' } } });
    expect(await handle(open)).toEqual({ ok: false, kind: 'forbidden', message: 'Not allowed: not entitled' });
    expect(opened).toEqual([]);
    expect(area.entries.has('session')).toBe(true);
  });

  it('refuses to open a console link that is not a web address', async () => {
    const { handle, opened } = setup();
    await handle(signIn);
    server.answer('POST /federate', { status: 200, body: { url: 'javascript:alert(1)' } });
    expect(await handle(open)).toMatchObject({ ok: false, kind: 'server' });
    expect(opened).toEqual([]);
  });

  it('asks for sign-in, without calling the backend, when there is no session', async () => {
    const { handle } = setup();
    expect(await handle(open)).toMatchObject({ ok: false, kind: 'signed-out' });
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: false, kind: 'signed-out' });
    expect(server.requests).toEqual([]);
  });

  it('rejects malformed messages before doing anything', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'console/open', target: { accountId: '1', permissionSet: 'X' } })).toMatchObject({
      ok: false,
      kind: 'bad-request',
      message: expect.stringMatching(/^invalid target\.accountId:/),
    });
    expect(server.requests).toEqual([]);
  });

  it('signs out: session and cache gone', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'session/sign-out' })).toEqual({ ok: true });
    expect(area.entries.size).toBe(0);
  });

  it('turns an unexpected failure into a generic error without details', async () => {
    const area = memoryArea();
    const handle = makeMessageHandler({
      api: makeApiClient({ baseUrl: server.url }),
      session: makeSessionStore(area),
      cache: makeEntitlementCache(area),
      openTab: async (url) => {
        throw new Error(`could not open ${url}`);
      },
    });
    await handle(signIn);
    const reply = await handle(open);
    expect(reply).toMatchObject({ ok: false, kind: 'server' });
    expect(JSON.stringify(reply)).not.toContain('very-secret');
  });
});
