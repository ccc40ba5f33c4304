/**
 * The background with the backend URL taken from the settings, as index.ts wires it: real HTTP to two scripted
 * backends on loopback, the real message handler, session store and cache over an in-memory area.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedServer } from '../../test/helpers/scripted-server.ts';
import type { ScriptedServer } from '../../test/helpers/scripted-server.ts';
import { buildTimeSettings } from '../settings/settings.ts';
import type { ResolvedSettings, SettingsSource } from '../settings/settings.ts';
import { bindSessionToBackend } from './backend-bound-session.ts';
import { requireBackendOnOpen } from './backend-gate.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeMessageHandler } from './message-handler.ts';
import { makeSessionStore } from './session-store.ts';
import { makeSettingsApiClient } from './settings-api-client.ts';
import { memoryArea } from './storage-area.ts';

const alice = { id: 'alice', displayName: 'Alice', groups: ['Developers'] };
const signIn = { type: 'session/sign-in', credentials: { username: 'alice', password: 'alice-pw' } };

/** A settings source whose backend URL the test changes, as policy or the options page would. */
function mutableSettings(apiUrl?: string) {
  let settings: ResolvedSettings = buildTimeSettings(apiUrl);
  const listeners = new Set<(settings: ResolvedSettings) => void>();
  const source: SettingsSource = {
    current: async () => settings,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    source,
    setApiUrl(url: string | undefined) {
      settings = buildTimeSettings(url);
      for (const listener of listeners) listener(settings);
    },
  };
}

function wire(settings: SettingsSource) {
  const area = memoryArea();
  const session = bindSessionToBackend(makeSessionStore(area), area, async () => (await settings.current()).values.apiUrl);
  const handle = requireBackendOnOpen(
    makeMessageHandler({
      api: makeSettingsApiClient(settings),
      session,
      cache: makeEntitlementCache(area),
      openConsole: async () => ({ opened: 'new-tab' as const }),
    }),
    settings,
  );
  return { area, handle };
}

let first: ScriptedServer;
let second: ScriptedServer;
beforeAll(async () => {
  [first, second] = await Promise.all([startScriptedServer(), startScriptedServer()]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});
beforeEach(() => {
  for (const [server, token] of [
    [first, 'token-from-first'],
    [second, 'token-from-second'],
  ] as const) {
    server.requests.length = 0;
    server.answer('POST /session', {
      status: 200,
      body: { token, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), source: 'directory', user: alice, entitlements: [] },
    });
    server.answer('GET /entitlements', { status: 200, body: { user: alice, entitlements: [] } });
  }
});

describe('the background without a backend URL', () => {
  it('answers the popup\'s first question with "not-configured", and sign-in the same, without any request', async () => {
    const { handle, area } = wire(mutableSettings(undefined).source);
    const opened = await handle({ type: 'session/get' });
    expect(opened).toEqual({ ok: false, kind: 'not-configured', message: expect.stringMatching(/No Switchyard backend is set.*options/) as string });
    expect(await handle(signIn)).toMatchObject({ ok: false, kind: 'not-configured' });
    expect(await handle({ type: 'session/sign-out' })).toEqual({ ok: true });
    expect(area.entries.size).toBe(0);
  });

  it('works as soon as a URL is set, with no restart', async () => {
    const settings = mutableSettings(undefined);
    const { handle } = wire(settings.source);
    settings.setApiUrl(first.url);
    expect(await handle(signIn)).toMatchObject({ ok: true, user: alice });
    expect(first.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /session']);
  });
});

describe('the background when the backend URL changes', () => {
  it('sends the next call to the new URL', async () => {
    const settings = mutableSettings(first.url);
    const { handle } = wire(settings.source);
    await handle(signIn);
    settings.setApiUrl(second.url);
    await handle(signIn);
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
  });

  it("drops the old backend's session instead of sending its token to the new one", async () => {
    const settings = mutableSettings(first.url);
    const { handle, area } = wire(settings.source);
    expect(await handle(signIn)).toMatchObject({ ok: true });
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: true });

    settings.setApiUrl(second.url);
    expect(await handle({ type: 'session/get' })).toEqual({ ok: true, signedIn: false });
    expect(await handle({ type: 'entitlements/refresh' })).toMatchObject({ ok: false, kind: 'signed-out' });
    expect(second.requests).toEqual([]);
    expect(JSON.stringify([...area.entries])).not.toContain('token-from-first');
  });

  it('keeps the session while the URL stays the same', async () => {
    const settings = mutableSettings(first.url);
    const { handle } = wire(settings.source);
    await handle(signIn);
    settings.setApiUrl(first.url);
    expect(await handle({ type: 'session/get' })).toMatchObject({ ok: true, signedIn: true });
  });
});
