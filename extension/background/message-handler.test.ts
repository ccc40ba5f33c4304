import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { HEAD_KEY, META_KEY } from '../list-cache/cached-list.ts';
import { makeApiClient, type ApiClient } from './api-client.ts';
import { makeElevationWatch, type ToolbarBadge } from './elevation-watch.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeListRefresh } from './list-refresh.ts';
import { makeMessageHandler, type MessageHandlerDeps } from './message-handler.ts';
import { makeSessionKeeper } from './session-keeper.ts';
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

function setup(options: Partial<Pick<MessageHandlerDeps, 'settings' | 'backend' | 'webAuth' | 'now'>> = {}) {
  const area = memoryArea();
  const opened: string[] = [];
  const openings: unknown[] = [];
  const handle = makeMessageHandler({
    api: makeApiClient({ baseUrl: server.url }),
    session: makeSessionStore(area),
    cache: makeEntitlementCache(area),
    openConsole: async ({ signInUrl, disposition, account, permissionSet, sessionSeconds, listed }) => {
      opened.push(await signInUrl());
      openings.push({ disposition, account, permissionSet, sessionSeconds, listed });
      return { opened: 'new-tab' };
    },
    ...options,
  });
  return { area, opened, openings, handle };
}

beforeEach(() => {
  server.requests.length = 0;
  server.answer('POST /session', ({ body }) =>
    (body as { password?: string }).password === 'alice-pw'
      ? {
          status: 200,
          body: {
            token: 'session-token',
            expiresAt: new Date(Date.now() + 600_000).toISOString(),
            refreshToken: 'refresh-token',
            refreshExpiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
            source: 'directory',
            user: alice,
            entitlements: [sandbox],
          },
        }
      : { status: 401, body: { error: { code: 'invalid_credentials', message: 'wrong username or password' } } },
  );
  server.answer('GET /entitlements', ({ authorization }) =>
    authorization === 'Bearer session-token' || authorization === 'Bearer renewed-token'
      ? { status: 200, body: { user: alice, entitlements: [sandbox, dataProd] } }
      : { status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } },
  );
  server.answer('POST /federate', { status: 200, body: { url: SIGN_IN_URL } });
  server.answer('POST /session/sign-out', { status: 200, body: { ok: true } });
  server.answer('POST /session/refresh', ({ body }) =>
    (body as { refreshToken?: string }).refreshToken === 'refresh-token'
      ? {
          status: 200,
          body: {
            token: 'renewed-token',
            expiresAt: new Date(Date.now() + 600_000).toISOString(),
            refreshToken: 'refresh-token',
            refreshExpiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
            source: 'directory',
            user: alice,
            entitlements: [dataProd],
          },
        }
      : { status: 401, body: { error: { code: 'unauthorized', message: 'your sign-in has ended' } } },
  );
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
    expect(JSON.stringify(reply)).not.toContain('refresh-token');
    expect(area.entries.get('session')).toMatchObject({ token: 'session-token' });
  });

  it('answers session/get from the cache without calling the backend, and refresh updates it', async () => {
    const { handle } = setup();
    await handle(signIn);
    const before = server.requests.length;
    expect(await handle({ type: 'session/get' })).toMatchObject({ ok: true, signedIn: true, entitlements: [sandbox] });
    expect(server.requests.length).toBe(before);
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true, changed: true });
    expect(await handle({ type: 'session/get' })).toMatchObject({ entitlements: [sandbox, dataProd] });
    // The same list again: the popup is told nothing changed and keeps what it drew.
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true, changed: false });
  });

  it("keeps the head of the list it cached when the popup asks, for that list's version only, and refuses a malformed ask", async () => {
    const { area, handle } = setup();
    const signedIn = await handle(signIn);
    expect(signedIn.ok).toBe(true);
    const { version } = (await handle({ type: 'entitlements/refresh' })) as { version: string };
    expect(await handle({ type: 'list/keep-head', version: 'stale', rows: [], keys: [] })).toEqual({ ok: true, kept: false });
    expect(area.entries.has(HEAD_KEY)).toBe(false);
    expect(await handle({ type: 'list/keep-head', version, rows: [1], keys: ['333333333333:ReadOnly'] })).toEqual({ ok: true, kept: true });
    expect(area.entries.get(HEAD_KEY)).toMatchObject({ version, rows: 2, keys: ['333333333333:ReadOnly'] });
    for (const malformed of [
      { type: 'list/keep-head', version, rows: [-1], keys: [] },
      { type: 'list/keep-head', version, rows: ['1'], keys: [] },
      { type: 'list/keep-head', version, rows: [], keys: Array.from({ length: 1001 }, (_, at) => `k${at}`) },
      { type: 'list/keep-head', version: 'v'.repeat(129), rows: [], keys: [] },
      { type: 'list/keep-head', version, rows: [], keys: [], list: {} },
    ])
      expect(await handle(malformed)).toMatchObject({ ok: false, kind: 'bad-request' });
    await handle({ type: 'session/sign-out' });
    expect(area.entries.has(HEAD_KEY)).toBe(false);
  });

  it('reports a wrong password and stores nothing', async () => {
    const { area, handle } = setup();
    const reply = await handle({ ...signIn, credentials: { username: 'alice', password: 'nope' } });
    expect(reply).toEqual({ ok: false, kind: 'invalid-credentials', message: 'Wrong username or password.' });
    expect(area.entries.size).toBe(0);
  });

  it('opens the console URL where asked, with the account it belongs to, and does not return it', async () => {
    const { handle, opened, openings } = setup();
    await handle(signIn);
    const reply = await handle({ ...open, disposition: 'background-tab' });
    expect(reply).toEqual({ ok: true, opened: 'new-tab' });
    expect(JSON.stringify(reply)).not.toContain('very-secret');
    expect(opened).toEqual([SIGN_IN_URL]);
    expect(openings).toEqual([
      {
        disposition: 'background-tab',
        account: { id: sandbox.accountId, name: 'sandbox', color: undefined },
        permissionSet: 'Developer',
        sessionSeconds: 3600,
        listed: true,
      },
    ]);
    expect(server.requests.at(-1)).toMatchObject({ path: '/federate', authorization: 'Bearer session-token', body: open.target });
  });

  it('asks the backend for no sign-in URL when the console session is already open, and shows it only to a person signed in', async () => {
    const shownWithoutSignIn = makeMessageHandler({
      api: makeApiClient({ baseUrl: server.url }),
      ...(() => {
        const area = memoryArea();
        return { session: makeSessionStore(area), cache: makeEntitlementCache(area) };
      })(),
      openConsole: async () => ({ opened: 'session-tab', existingSession: true }),
      consoleSessions: {
        state: async () => ({ mode: 'multi-session', open: ['444444444444:Developer'], full: false }),
        forget: async () => undefined,
      },
    });
    expect(await shownWithoutSignIn(open)).toMatchObject({ ok: false, kind: 'signed-out' });
    await shownWithoutSignIn(signIn);
    server.requests.length = 0;
    expect(await shownWithoutSignIn(open)).toEqual({ ok: true, opened: 'session-tab', existingSession: true });
    expect(server.requests).toEqual([]);
    expect(await shownWithoutSignIn({ type: 'console/sessions' })).toEqual({
      ok: true,
      mode: 'multi-session',
      open: ['444444444444:Developer'],
      full: false,
    });
  });

  it('forgets the open console sessions at sign-out', async () => {
    const forgotten: string[] = [];
    const handle = makeMessageHandler({
      api: makeApiClient({ baseUrl: server.url }),
      ...(() => {
        const area = memoryArea();
        return { session: makeSessionStore(area), cache: makeEntitlementCache(area) };
      })(),
      openConsole: async () => ({ opened: 'new-tab' }),
      consoleSessions: { state: async () => ({ mode: 'single-session', open: [], full: false }), forget: async () => void forgotten.push('all') },
    });
    await handle(signIn);
    await handle({ type: 'session/sign-out' });
    expect(forgotten).toEqual(['all']);
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

  it('signs out: session and cache gone here, and the session ended on the server with both tokens', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'session/sign-out' })).toEqual({ ok: true });
    expect(area.entries.size).toBe(0);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/session/sign-out',
      authorization: 'Bearer session-token',
      body: { refreshToken: 'refresh-token' },
    });
  });

  it('tells the popup which backend is in force and whether policy locked it, without asking that backend', async () => {
    const locked = setup({ backend: async () => ({ apiUrl: 'https://switchyard.corp.example.com', lockedByPolicy: true }) });
    expect(await locked.handle({ type: 'settings/backend' })).toEqual({
      ok: true,
      apiUrl: 'https://switchyard.corp.example.com',
      lockedByPolicy: true,
    });
    const unset = setup({ backend: async () => ({ lockedByPolicy: false }) });
    expect(await unset.handle({ type: 'settings/backend' })).toEqual({ ok: true, lockedByPolicy: false });
    expect(server.requests).toEqual([]);
  });

  it('drops a list that arrives after the person signed out, instead of caching it again', async () => {
    const area = memoryArea();
    const api = makeApiClient({ baseUrl: server.url });
    let arrive: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const handle = makeMessageHandler({
      api: { ...api, getEntitlements: async (token) => api.getEntitlements(token).then(async (answer) => (await arrived, answer)) },
      session: makeSessionStore(area),
      cache: makeEntitlementCache(area),
      openConsole: async () => ({ opened: 'new-tab' }),
    });
    await handle(signIn);
    const refreshing = handle({ type: 'entitlements/refresh' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await handle({ type: 'session/sign-out' });
    arrive();
    expect(await refreshing).toMatchObject({ ok: false, kind: 'signed-out' });
    expect([...area.entries.keys()]).toEqual([]);
  });

  it('turns an unexpected failure into a generic error without details', async () => {
    const area = memoryArea();
    const handle = makeMessageHandler({
      api: makeApiClient({ baseUrl: server.url }),
      session: makeSessionStore(area),
      cache: makeEntitlementCache(area),
      openConsole: async ({ signInUrl }) => {
        throw new Error(`could not open ${await signInUrl()}`);
      },
    });
    await handle(signIn);
    const reply = await handle(open);
    expect(reply).toMatchObject({ ok: false, kind: 'server' });
    expect(JSON.stringify(reply)).not.toContain('very-secret');
  });
});

describe('keeping the session alive', () => {
  it('renews the token with the refresh token on a 401, retries, and caches the renewed list', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    server.answer('GET /entitlements', ({ authorization }) =>
      authorization === 'Bearer renewed-token'
        ? { status: 200, body: { user: alice, entitlements: [dataProd] } }
        : { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } },
    );
    // The renewal already cached the renewed list; the popup compares versions, so it sees the change.
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true, version: expect.any(String) });
    expect(server.requests.map((request) => request.path)).toEqual(['/session', '/entitlements', '/session/refresh', '/entitlements']);
    expect(area.entries.get('session')).toMatchObject({ token: 'renewed-token' });
    expect(await handle({ type: 'session/get' })).toMatchObject({ signedIn: true, entitlements: [dataProd] });
  });

  it('renews a token about to run out before using it', async () => {
    let now = Date.now();
    const { handle } = setup({ now: () => new Date(now) });
    await handle(signIn);
    now += 590_000;
    server.requests.length = 0;
    await handle(open);
    expect(server.requests.map((request) => `${request.path} ${request.authorization ?? ''}`)).toEqual([
      '/session/refresh ',
      '/federate Bearer renewed-token',
    ]);
  });

  it('a renewal answered after the person signed out neither brings the session back nor marks it expired', async () => {
    for (const refreshAnswer of [200, 401] as const) {
      const area = memoryArea();
      const api = makeApiClient({ baseUrl: server.url });
      let arrive: () => void = () => undefined;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const handle = makeMessageHandler({
        api: { ...api, refreshSession: async (token) => api.refreshSession(token).finally(() => arrived) },
        session: makeSessionStore(area),
        cache: makeEntitlementCache(area),
        openConsole: async () => ({ opened: 'new-tab' }),
      });
      await handle(signIn);
      server.answer('GET /entitlements', { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } });
      if (refreshAnswer === 401)
        server.answer('POST /session/refresh', { status: 401, body: { error: { code: 'unauthorized', message: 'your sign-in has ended' } } });
      const refreshing = handle({ type: 'entitlements/refresh' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await handle({ type: 'session/sign-out' });
      arrive();
      expect(await refreshing, `renewal answered ${refreshAnswer}`).toMatchObject({ ok: false, kind: 'signed-out' });
      expect([...area.entries.keys()], `renewal answered ${refreshAnswer}`).toEqual([]);
      expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
    }
  });

  it('sends only the newest refresh token: a call that failed with an older token takes the session renewed meanwhile', async () => {
    const area = memoryArea();
    const api = makeApiClient({ baseUrl: server.url });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = true;
    const handle = makeMessageHandler({
      // The console call was made with the first token, and its answer arrives only after another call renewed the session.
      api: { ...api, federate: async (token, request) => (held ? gate.then(() => api.federate(token, request)) : api.federate(token, request)) },
      session: makeSessionStore(area),
      cache: makeEntitlementCache(area),
      openConsole: async () => ({ opened: 'new-tab' }),
    });
    await handle(signIn);
    // The backend rotates: 'refresh-token' is good once, and a second use of it ends the sign-in.
    let traded = false;
    server.answer('POST /session/refresh', ({ body }) => {
      const presented = (body as { refreshToken?: string }).refreshToken;
      if (presented === 'refresh-token' && !traded) {
        traded = true;
        const renewed = { token: 'renewed-token', expiresAt: new Date(Date.now() + 600_000).toISOString(), refreshToken: 'refresh-token-2' };
        return {
          status: 200,
          body: {
            ...renewed,
            refreshExpiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
            source: 'directory',
            user: alice,
            entitlements: [dataProd],
          },
        };
      }
      return { status: 401, body: { error: { code: 'refresh_reused', message: 'used twice' } } };
    });
    server.answer('GET /entitlements', ({ authorization }) =>
      authorization === 'Bearer renewed-token'
        ? { status: 200, body: { user: alice, entitlements: [dataProd] } }
        : { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } },
    );
    server.answer('POST /federate', ({ authorization }) =>
      authorization === 'Bearer renewed-token'
        ? { status: 200, body: { url: SIGN_IN_URL } }
        : { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } },
    );
    const opening = handle(open);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true });
    held = false;
    release();
    expect(await opening).toMatchObject({ ok: true });
    const refreshes = server.requests.filter((request) => request.path === '/session/refresh').map((request) => request.body);
    expect(refreshes).toEqual([{ refreshToken: 'refresh-token' }]);
    expect(area.entries.get('session')).toMatchObject({ token: 'renewed-token', refreshToken: 'refresh-token-2' });
  });

  it('signs the person out, list and all, with a notice, when the backend saw a refresh token used twice', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } });
    server.answer('POST /session/refresh', { status: 401, body: { error: { code: 'refresh_reused', message: 'used twice' } } });
    const reply = await handle({ type: 'entitlements/refresh' });
    expect(reply).toMatchObject({ ok: false, kind: 'signed-out', message: expect.stringMatching(/used from somewhere else/) });
    expect([...area.entries.keys()]).toEqual([]);
    expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
  });

  it('expires the session when renewal is refused: tokens gone, the person and their list kept', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } });
    server.answer('POST /session/refresh', { status: 401, body: { error: { code: 'unauthorized', message: 'your sign-in has ended' } } });
    expect(await handle({ type: 'entitlements/refresh' })).toEqual({
      ok: false,
      kind: 'expired',
      message: 'Your session has expired. Please sign in again.',
    });
    expect(JSON.stringify([...area.entries.values()])).not.toMatch(/session-token|refresh-token/);
    expect(await handle({ type: 'session/get' })).toMatchObject({ ok: true, signedIn: false, expired: true, user: alice, entitlements: [sandbox] });
    expect(await handle(open)).toMatchObject({ ok: false, kind: 'expired' });
    // Signing in again starts afresh; signing out forgets the kept list.
    expect(await handle(signIn)).toMatchObject({ ok: true, user: alice });
    await handle({ type: 'session/sign-out' });
    expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
  });

  it('expires a session whose sign-in has ended, without asking the backend', async () => {
    let now = Date.now();
    const { handle } = setup({ now: () => new Date(now) });
    await handle(signIn);
    now += 9 * 3_600_000;
    server.requests.length = 0;
    expect(await handle({ type: 'session/get' })).toMatchObject({ signedIn: false, expired: true, entitlements: [sandbox] });
    expect(server.requests).toEqual([]);
  });

  it('keeps the session when the backend cannot be reached during a renewal', async () => {
    const { area, handle } = setup();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } });
    server.answer('POST /session/refresh', {
      status: 503,
      body: { error: { code: 'directory_unavailable', message: 'the company directory did not answer' } },
    });
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: false, kind: 'server' });
    expect(area.entries.get('session')).toMatchObject({ token: 'session-token', refreshToken: 'refresh-token' });
  });
});

/**
 * A session area whose next read of `key`, once armed, lets a sign-out run before it answers with what it
 * read: the sign-out falls between a check of the stored session and the write that follows the check. The
 * sign-out is given 100 ms; one that has to wait its turn is not waited for.
 */
function areaSigningOutDuringRead(key: string) {
  const inner = memoryArea();
  let signOut: (() => Promise<unknown>) | undefined;
  let signingOut: Promise<unknown> = Promise.resolve();
  return {
    ...inner,
    armSignOut(run: () => Promise<unknown>) {
      signOut = run;
    },
    signedOut: () => signingOut,
    async get(keys: string | string[]) {
      const found = await inner.get(keys);
      if (signOut && (typeof keys === 'string' ? [keys] : keys).includes(key)) {
        const run = signOut;
        signOut = undefined;
        signingOut = run();
        await Promise.race([signingOut, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      return found;
    },
  };
}

describe('a sign-out between a check of the session and the write after it', () => {
  function setupRacing(key: string, wrap: (api: ApiClient, arm: () => void) => ApiClient = (api) => api) {
    const area = areaSigningOutDuringRead(key);
    const api = makeApiClient({ baseUrl: server.url });
    const handle: (message: unknown) => Promise<unknown> = makeMessageHandler({
      api: wrap(api, () => area.armSignOut(() => handle({ type: 'session/sign-out' }))),
      session: makeSessionStore(area),
      cache: makeEntitlementCache(area),
      openConsole: async () => ({ opened: 'new-tab' }),
    });
    return { area, handle };
  }

  it('leaves nothing of a list whose answer was checked just before the person signed out', async () => {
    const { area, handle } = setupRacing('session', (api, arm) => ({
      ...api,
      getEntitlements: async (token) => api.getEntitlements(token).finally(arm),
    }));
    await handle(signIn);
    await handle({ type: 'entitlements/refresh' });
    expect(await area.signedOut()).toEqual({ ok: true });
    expect([...area.entries.keys()]).toEqual([]);
    expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
  });

  it('leaves no session behind when a renewal, granted or refused, was checked just before the person signed out', async () => {
    for (const refreshAnswer of [200, 401] as const) {
      const { area, handle } = setupRacing('session', (api, arm) => ({
        ...api,
        refreshSession: async (token) => api.refreshSession(token).finally(arm),
      }));
      await handle(signIn);
      server.answer('GET /entitlements', ({ authorization }) =>
        authorization === 'Bearer renewed-token'
          ? { status: 200, body: { user: alice, entitlements: [dataProd] } }
          : { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } },
      );
      if (refreshAnswer === 401)
        server.answer('POST /session/refresh', { status: 401, body: { error: { code: 'unauthorized', message: 'your sign-in has ended' } } });
      await handle({ type: 'entitlements/refresh' });
      expect(await area.signedOut(), `renewal answered ${refreshAnswer}`).toEqual({ ok: true });
      expect([...area.entries.keys()], `renewal answered ${refreshAnswer}`).toEqual([]);
      expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
    }
  });

  it("leaves no head of the list when the popup's ask to keep it was checked just before the person signed out", async () => {
    const { area, handle } = setupRacing(META_KEY);
    await handle(signIn);
    const { version } = (await handle({ type: 'entitlements/refresh' })) as { version: string };
    area.armSignOut(() => handle({ type: 'session/sign-out' }));
    await handle({ type: 'list/keep-head', version, rows: [0], keys: [] });
    expect(await area.signedOut()).toEqual({ ok: true });
    expect([...area.entries.keys()]).toEqual([]);
  });
});

describe('sign-in methods and single sign-on', () => {
  const hostedUi = 'https://login.corp.example.com';
  const cognito = { domain: hostedUi, clientId: 'client1', scopes: ['openid', 'email'] };

  /** Plays the hosted UI: checks what the extension asks for, and lands on the redirect URL with a code. */
  function hostedUiFlow(
    answer: (authorize: URL) => string = (authorize) => `${REDIRECT}?code=the-code&state=${authorize.searchParams.get('state')}`,
  ) {
    const asked: URL[] = [];
    return {
      asked,
      flow: {
        redirectUrl: () => REDIRECT,
        launch: async (url: string) => {
          asked.push(new URL(url));
          return answer(new URL(url));
        },
      },
    };
  }
  const REDIRECT = `https://${'abcdefghijklmnop'.repeat(2)}.chromiumapp.org/`;

  beforeEach(() => {
    server.answer('GET /auth/config', { status: 200, body: { methods: ['directory', 'cognito'], cognito } });
    server.answer('POST /session/cognito', ({ body }) =>
      (body as { code?: string }).code === 'the-code'
        ? {
            status: 200,
            body: {
              token: 'sso-token',
              expiresAt: new Date(Date.now() + 600_000).toISOString(),
              source: 'cognito',
              user: alice,
              entitlements: [sandbox],
            },
          }
        : { status: 401, body: { error: { code: 'invalid_credentials', message: 'not accepted' } } },
    );
  });

  it("offers what the settings say, else what the backend's /auth/config says", async () => {
    expect(await setup().handle({ type: 'auth/methods' })).toEqual({ ok: true, methods: ['directory', 'cognito'] });
    const directoryOnly = setup({ settings: async () => ({ signInMethod: 'directory' }) });
    expect(await directoryOnly.handle({ type: 'auth/methods' })).toEqual({ ok: true, methods: ['directory'] });
    server.answer('GET /auth/config', { status: 200, body: { methods: [] } });
    expect(await setup().handle({ type: 'auth/methods' })).toMatchObject({ ok: false, kind: 'server' });
  });

  it('runs the code flow with PKCE against the hosted UI and signs in with the code', async () => {
    const { asked, flow } = hostedUiFlow();
    const { area, handle } = setup({ webAuth: flow });
    expect(await handle({ type: 'session/sign-in-cognito' })).toMatchObject({ ok: true, user: alice, entitlements: [sandbox] });
    const authorize = asked[0]!;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${hostedUi}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client1',
      redirect_uri: REDIRECT,
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    const redeemed = server.requests.at(-1)!;
    expect(redeemed).toMatchObject({ path: '/session/cognito', body: { code: 'the-code', redirectUri: REDIRECT, clientId: 'client1' } });
    const verifier = (redeemed.body as { codeVerifier: string }).codeVerifier;
    expect(verifier).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{22}$/);
    expect(area.entries.get('session')).toMatchObject({ token: 'sso-token', source: 'cognito' });
  });

  it("uses the extension's own Cognito settings over the backend's", async () => {
    const { asked, flow } = hostedUiFlow();
    const { handle } = setup({
      webAuth: flow,
      settings: async () => ({ signInMethod: 'cognito', cognito: { domain: 'https://sso.example.org', clientId: 'client1' } }),
    });
    expect(await handle({ type: 'session/sign-in-cognito' })).toMatchObject({ ok: true });
    expect(asked[0]?.origin).toBe('https://sso.example.org');
    expect(asked[0]?.searchParams.get('scope')).toBe('openid email profile');
  });

  it('stores nothing when the window is closed, the hosted UI refuses, or the state does not match', async () => {
    const cases: [ReturnType<typeof hostedUiFlow>['flow'], RegExp][] = [
      [{ redirectUrl: () => REDIRECT, launch: () => Promise.reject(new Error('The user did not approve access.')) }, /cancelled/],
      [hostedUiFlow((authorize) => `${REDIRECT}?error=access_denied&state=${authorize.searchParams.get('state')}`).flow, /\(access_denied\)/],
      [hostedUiFlow(() => `${REDIRECT}?code=the-code&state=someone-elses`).flow, /another sign-in/],
    ];
    for (const [flow, message] of cases) {
      const { area, handle } = setup({ webAuth: flow });
      const reply = await handle({ type: 'session/sign-in-cognito' });
      expect(reply).toMatchObject({ ok: false, message: expect.stringMatching(message) });
      expect(area.entries.size).toBe(0);
    }
  });
});

/** A request as the API answers it (RequestView), in `state`: bob's, for sandbox as Developer, unless `fields` say otherwise. */
function requestView(state: string, fields: Record<string, unknown> = {}) {
  return {
    id: 'abcdefghijklmnop',
    state,
    requester: { id: 'bob', displayName: 'Bob' },
    accountId: sandbox.accountId,
    accountName: 'sandbox',
    permissionSet: 'Developer',
    durationSeconds: 3600,
    rule: 'eligibility.yaml entry 1',
    createdAt: new Date().toISOString(),
    pendingExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    approvals: [],
    approvalsNeeded: 1,
    extensions: [],
    ...fields,
  };
}

describe('elevation messages', () => {
  const REQUEST_ID = 'abcdefghijklmnop';
  const view = (state: string) => requestView(state, { justification: 'OPS-1' });

  it('asks for a pair with the session token and answers with the request', async () => {
    server.answer('POST /requests', { status: 200, body: view('pending') });
    const { handle } = setup();
    await handle(signIn);
    const request = { accountId: sandbox.accountId, permissionSet: 'Developer', durationSeconds: 3600, justification: 'OPS-1' };
    expect(await handle({ type: 'request/create', request })).toMatchObject({ ok: true, request: { id: REQUEST_ID, state: 'pending' } });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/requests', authorization: 'Bearer session-token', body: request });
  });

  it("answers the person's open requests only, as id:state", async () => {
    server.answer('GET /requests', { status: 200, body: { requests: [view('active'), { ...view('denied'), id: 'qqqqqqqqqqqqqqqq' }] } });
    const { handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'requests/open' })).toEqual({ ok: true, open: [`${REQUEST_ID}:active`] });
  });

  it('lists what waits for approval, and approves or denies by id with the reason', async () => {
    server.answer('GET /approvals', { status: 200, body: { requests: [view('pending')] } });
    server.answer(`POST /requests/${REQUEST_ID}/approve`, { status: 200, body: view('active') });
    server.answer(`POST /requests/${REQUEST_ID}/deny`, { status: 200, body: view('denied') });
    const { handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'approvals/list' })).toMatchObject({ ok: true, requests: [{ id: REQUEST_ID }] });
    expect(await handle({ type: 'request/decide', id: REQUEST_ID, decision: 'approve', reason: 'ok' })).toMatchObject({
      ok: true,
      request: { state: 'active' },
    });
    expect(server.requests.at(-1)).toMatchObject({ path: `/requests/${REQUEST_ID}/approve`, body: { reason: 'ok' } });
    expect(await handle({ type: 'request/decide', id: REQUEST_ID, decision: 'deny', reason: 'not now' })).toMatchObject({
      request: { state: 'denied' },
    });
    expect(server.requests.at(-1)).toMatchObject({ path: `/requests/${REQUEST_ID}/deny`, body: { reason: 'not now' } });
  });

  it('refuses a request id that is not one, without calling the backend', async () => {
    const { handle } = setup();
    await handle(signIn);
    const before = server.requests.length;
    expect(await handle({ type: 'request/decide', id: '../session', decision: 'approve' })).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(server.requests.length).toBe(before);
  });

  it("passes the backend's refusal on in its words", async () => {
    server.answer('POST /requests', {
      status: 409,
      body: { error: { code: 'conflict', message: 'you already have a pending request for this pair (abcdefghijklmnop)' } },
    });
    const { handle } = setup();
    await handle(signIn);
    const reply = await handle({ type: 'request/create', request: { accountId: sandbox.accountId, permissionSet: 'Developer' } });
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining('already have a pending request') });
  });
});

describe('changing a request: cancel, give back, extend', () => {
  const REQUEST_ID = 'abcdefghijklmnop';
  const view = (state: string) => requestView(state, { requester: { id: 'alice', displayName: 'Alice' } });

  it('cancels, revokes and extends by id with the session token, the bodies as the contract has them', async () => {
    server.answer(`POST /requests/${REQUEST_ID}/cancel`, { status: 200, body: view('cancelled') });
    server.answer(`POST /requests/${REQUEST_ID}/revoke`, { status: 200, body: view('revoked') });
    server.answer(`POST /requests/${REQUEST_ID}/extend`, { status: 200, body: view('active') });
    const { handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'request/cancel', id: REQUEST_ID })).toMatchObject({ ok: true, request: { state: 'cancelled' } });
    expect(server.requests.at(-1)).toMatchObject({ path: `/requests/${REQUEST_ID}/cancel`, authorization: 'Bearer session-token', body: {} });
    expect(await handle({ type: 'grant/revoke', id: REQUEST_ID, reason: 'done' })).toMatchObject({ ok: true, request: { state: 'revoked' } });
    expect(server.requests.at(-1)).toMatchObject({ path: `/requests/${REQUEST_ID}/revoke`, body: { reason: 'done' } });
    expect(await handle({ type: 'grant/extend', id: REQUEST_ID, durationSeconds: 1800, justification: 'OPS-2' })).toMatchObject({ ok: true });
    expect(server.requests.at(-1)).toMatchObject({ path: `/requests/${REQUEST_ID}/extend`, body: { durationSeconds: 1800, justification: 'OPS-2' } });
  });

  it('refuses a revocation without a reason, and a bad id, without calling the backend', async () => {
    const { handle } = setup();
    await handle(signIn);
    const before = server.requests.length;
    expect(await handle({ type: 'grant/revoke', id: REQUEST_ID, reason: ' ' })).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(await handle({ type: 'grant/extend', id: 'ABC' })).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(server.requests.length).toBe(before);
  });

  it("shows the backend's refusal as its own sentence, without the HTTP status", async () => {
    server.answer(`POST /requests/${REQUEST_ID}/cancel`, {
      status: 409,
      body: {
        error: { code: 'conflict', message: `request ${REQUEST_ID} is active; only a pending request can be cancelled (revoke an active grant)` },
      },
    });
    server.answer(`POST /requests/${REQUEST_ID}/extend`, {
      status: 409,
      body: { error: { code: 'conflict', message: 'no extensions left: the rule allows 1' } },
    });
    server.answer('POST /requests', { status: 403, body: { error: { code: 'forbidden', message: 'you are not eligible for this pair' } } });
    const { handle } = setup();
    await handle(signIn);
    expect(await handle({ type: 'request/cancel', id: REQUEST_ID })).toEqual({
      ok: false,
      kind: 'bad-request',
      message: `Request ${REQUEST_ID} is active; only a pending request can be cancelled (revoke an active grant).`,
    });
    expect(await handle({ type: 'grant/extend', id: REQUEST_ID })).toMatchObject({ message: 'No extensions left: the rule allows 1.' });
    expect(await handle({ type: 'request/create', request: { accountId: sandbox.accountId, permissionSet: 'Developer' } })).toMatchObject({
      kind: 'forbidden',
      message: 'You are not eligible for this pair.',
    });
  });
});

describe('the elevation watch, while the popup is closed', () => {
  const REQUEST_ID = 'abcdefghijklmnop';
  const rule = {
    maxDurationSeconds: 7200,
    defaultDurationSeconds: 3600,
    justification: { required: false },
    approval: { kind: 'approvers' as const, groups: ['Platform-Admins'], count: 1, distinctGroups: false },
    pendingExpirySeconds: 86400,
    extensions: { count: 1, durationSeconds: 1800 },
  };
  const prodDeveloper: Entitlement = { ...sandbox, accountId: '111111111111', accountName: 'payments-prod', eligible: rule };
  const withOpen = (state: 'pending' | 'active'): Entitlement => ({
    ...prodDeveloper,
    openRequest: { id: REQUEST_ID, state, until: new Date(Date.now() + 3_600_000).toISOString() },
  });
  const view = (state: string, id = REQUEST_ID) => requestView(state, { id, accountId: prodDeveloper.accountId, accountName: 'payments-prod' });

  function setupWatched(wrap: (api: ApiClient) => ApiClient = (api) => api) {
    const area = memoryArea();
    const api = wrap(makeApiClient({ baseUrl: server.url }));
    const session = makeSessionStore(area);
    const cache = makeEntitlementCache(area);
    const keeper = makeSessionKeeper({ api, store: session, cache });
    const clock = { now: Date.now() };
    const badges: ToolbarBadge[] = [];
    const alarm = { running: false };
    const watch = makeElevationWatch({
      area,
      api,
      cache,
      keeper,
      refreshList: makeListRefresh({ api, cache, keeper, now: () => new Date(clock.now) }),
      showBadge: async (badge) => void badges.push(badge),
      alarm: { start: async () => void (alarm.running = true), stop: async () => void (alarm.running = false) },
      now: () => clock.now,
    });
    const handle = makeMessageHandler({ api, session, cache, keeper, watch, openConsole: async () => ({ opened: 'new-tab' }) });
    return { area, handle, watch, badges, alarm, clock, badge: () => badges.at(-1)?.text };
  }

  it('runs the alarm while a request waits, counts it on the badge, and refreshes the cached list when it is approved', async () => {
    const { handle, watch, alarm, badge } = setupWatched();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [sandbox, withOpen('pending')] } });
    await handle({ type: 'entitlements/refresh' });
    expect(alarm.running).toBe(true);
    expect(badge()).toBe('1');

    // Approved while the popup is closed: the next alarm sees it and fetches the list, which now shows the grant.
    server.answer('GET /requests', { status: 200, body: { requests: [view('active'), view('denied', 'qqqqqqqqqqqqqqqq')] } });
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [sandbox, withOpen('active')] } });
    server.requests.length = 0;
    await watch.tick();
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /requests', 'GET /entitlements']);
    expect(await handle({ type: 'session/get' })).toMatchObject({ signedIn: true, entitlements: [sandbox, { openRequest: { state: 'active' } }] });
    expect(badge()).toBe('');
    expect(alarm.running).toBe(false);

    // Nothing waits: an alarm that fires anyway asks nothing.
    server.requests.length = 0;
    await watch.tick();
    expect(server.requests).toEqual([]);
  });

  it('leaves the list alone when the requests are those it shows', async () => {
    const { handle, watch, alarm } = setupWatched();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [sandbox, withOpen('pending')] } });
    await handle({ type: 'entitlements/refresh' });
    server.answer('GET /requests', { status: 200, body: { requests: [view('pending')] } });
    server.requests.length = 0;
    await watch.tick();
    expect(server.requests.map((request) => request.path)).toEqual(['/requests']);
    expect(alarm.running).toBe(true);
  });

  it('asks how many wait for approval once per minute at most, and polls while some wait', async () => {
    const { handle, watch, alarm, clock, badges } = setupWatched();
    await handle(signIn);
    server.answer('GET /approvals', { status: 200, body: { requests: [view('pending')] } });
    server.requests.length = 0;
    expect(await handle({ type: 'approvals/count' })).toEqual({ ok: true, count: 1 });
    expect(await handle({ type: 'approvals/count' })).toEqual({ ok: true, count: 1 });
    expect(server.requests.map((request) => request.path)).toEqual(['/approvals']);
    expect(badges.at(-1)).toEqual({ text: '1', color: '#b45309', title: 'Switchyard: 1 request to approve' });
    expect(alarm.running).toBe(true);

    clock.now += 61_000;
    server.answer('GET /approvals', { status: 200, body: { requests: [] } });
    server.requests.length = 0;
    await watch.tick();
    expect(server.requests.map((request) => request.path)).toEqual(['/approvals']);
    expect(badges.at(-1)?.text).toBe('');
    expect(alarm.running).toBe(false);
  });

  it('stops at sign-out', async () => {
    const { handle, alarm, badge } = setupWatched();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [withOpen('pending')] } });
    await handle({ type: 'entitlements/refresh' });
    expect(alarm.running).toBe(true);
    await handle({ type: 'session/sign-out' });
    expect(alarm.running).toBe(false);
    expect(badge()).toBe('');
  });

  it('keeps nothing of what a call brings back after a sign-out made meanwhile', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { area, handle, alarm } = setupWatched((api) => ({
      ...api,
      requestsToApprove: async (token) => {
        const answer = await api.requestsToApprove(token);
        await held;
        return answer;
      },
    }));
    server.answer('GET /approvals', { status: 200, body: { requests: [view('pending')] } });
    await handle(signIn);
    const counting = handle({ type: 'approvals/count' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await handle({ type: 'session/sign-out' });
    release();
    await counting;
    expect([...area.entries.keys()]).toEqual([]);
    expect(alarm.running).toBe(false);
  });

  it("keeps the list's pending requests and grants when a session renewal rewrites it (a renewal's list carries none)", async () => {
    const { handle } = setupWatched();
    await handle(signIn);
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [sandbox, withOpen('active')] } });
    await handle({ type: 'entitlements/refresh' });
    server.answer('POST /session/refresh', {
      status: 200,
      body: {
        token: 'renewed-token',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        refreshToken: 'refresh-token-2',
        refreshExpiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
        source: 'directory',
        user: alice,
        entitlements: [sandbox, prodDeveloper],
      },
    });
    server.answer('GET /requests', ({ authorization }) =>
      authorization === 'Bearer renewed-token'
        ? { status: 200, body: { requests: [view('active')] } }
        : { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } },
    );
    expect(await handle({ type: 'requests/open' })).toEqual({ ok: true, open: [`${REQUEST_ID}:active`] });
    expect(server.requests.map((request) => request.path)).toContain('/session/refresh');
    expect(await handle({ type: 'session/get' })).toMatchObject({ entitlements: [sandbox, { openRequest: { id: REQUEST_ID, state: 'active' } }] });
  });
});
