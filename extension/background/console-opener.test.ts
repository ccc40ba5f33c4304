import { describe, expect, it } from 'vitest';
import type { Settings } from '../settings/settings.ts';
import { consoleSessionsState, makeConsoleOpener } from './console-opener.ts';
import type { BrowserTab, OpenConsoleRequest } from './console-opener.ts';
import { makeConsoleSessions } from './console-sessions.ts';
import { isConsoleTab, signOutFirstUrl } from './console-tabs.ts';
import { containerColorFor } from './containers.ts';
import type { ContextualIdentitiesApi, ContextualIdentity } from './containers.ts';
import { memoryArea } from './storage-area.ts';

const LOGIN = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=x&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=secret';
const account = { id: '111111111111', name: 'payments-prod', color: '#d13212' };
const other = { id: '222222222222', name: 'data-prod' };
type OpenSettings = Pick<Settings, 'openMode' | 'firefoxContainers' | 'consoleSessionMode' | 'reuseOpenSessions'>;

interface SetupOptions {
  activeTab?: BrowserTab;
  identities?: ContextualIdentitiesApi;
  /** Tabs still open, for focusTab. */
  openTabs?: Set<number>;
  now?: () => number;
}

function setup(settings: Partial<OpenSettings> = {}, options: SetupOptions = {}) {
  const calls: unknown[][] = [];
  let nextTab = 100;
  const openTabs = options.openTabs ?? new Set<number>();
  const localArea = memoryArea();
  const sessionArea = memoryArea();
  const now = options.now ?? (() => 1_000_000);
  const sessions = makeConsoleSessions({ sessionArea, localArea, now });
  const signIns: string[] = [];
  const current: OpenSettings = {
    openMode: 'new-tab',
    firefoxContainers: false,
    consoleSessionMode: 'single-session',
    reuseOpenSessions: true,
    ...settings,
  };
  const opener = makeConsoleOpener({
    createTab: async (details) => {
      calls.push(['createTab', details]);
      openTabs.add(++nextTab);
      return { id: nextTab };
    },
    updateTab: async (id, details) => calls.push(['updateTab', id, details]),
    createWindow: async (details) => {
      calls.push(['createWindow', details]);
      openTabs.add(++nextTab);
      return { id: nextTab };
    },
    focusTab: async (id) => {
      calls.push(['focusTab', id]);
      return openTabs.has(id);
    },
    activeTab: async () => options.activeTab,
    containers: async () => options.identities,
    settings: async () => current,
    sessions,
    now,
  });
  const open = (request: Partial<OpenConsoleRequest> & Pick<OpenConsoleRequest, 'disposition'>) =>
    opener({
      account,
      permissionSet: 'Admin',
      sessionSeconds: 3600,
      listed: true,
      signInUrl: async () => {
        signIns.push(LOGIN);
        return LOGIN;
      },
      ...request,
    });
  return { calls, open, sessions, signIns, openTabs, localArea, settings: current };
}

function fakeIdentities(existing: ContextualIdentity[] = []): ContextualIdentitiesApi & { store: ContextualIdentity[] } {
  const store = [...existing];
  return {
    store,
    query: async ({ name }) => store.filter((identity) => identity.name === name),
    create: async ({ name, color }) => {
      const identity = { cookieStoreId: `firefox-container-${store.length + 1}`, name, color };
      store.push(identity);
      return identity;
    },
    update: async (cookieStoreId, { color }) => {
      const identity = store.find((candidate) => candidate.cookieStoreId === cookieStoreId);
      if (!identity) throw new Error('no such container');
      identity.color = color;
      return identity;
    },
  };
}

describe('makeConsoleOpener', () => {
  it('opens a plain click in a new tab, through the sign-in host logout so no other console session is in the way', async () => {
    const { calls, open } = setup();
    expect(await open({ disposition: 'default' })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([['createTab', { url: signOutFirstUrl(LOGIN), active: true }]]);
    const hop = new URL(signOutFirstUrl(LOGIN));
    expect(`${hop.origin}${hop.pathname}`).toBe('https://signin.aws.amazon.com/oauth');
    expect(hop.searchParams.get('Action')).toBe('logout');
    expect(hop.searchParams.get('redirect_uri')).toBe(LOGIN);
  });

  it('leaves other sessions alone in multi-session mode', async () => {
    const { calls, open } = setup({ consoleSessionMode: 'multi-session' });
    await open({ disposition: 'default' });
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true }]]);
  });

  it('in automatic mode, signs out first until a multi-session console is seen, then never', async () => {
    const { calls, open, sessions } = setup({ consoleSessionMode: 'automatic' });
    await open({ disposition: 'default' });
    expect(calls.at(-1)).toEqual(['createTab', { url: signOutFirstUrl(LOGIN), active: true }]);
    await sessions.observe({ id: 55, url: 'https://222222222222-abcd1234.eu-west-1.console.aws.amazon.com/console/home' });
    await open({ disposition: 'default', account: other });
    expect(calls.at(-1)).toEqual(['createTab', { url: LOGIN, active: true }]);
    // The person turned the mode off: a plain regional console says so.
    await sessions.observe({ id: 56, url: 'https://eu-west-1.console.aws.amazon.com/ec2/home' });
    await open({ disposition: 'default', permissionSet: 'ReadOnly' });
    expect(calls.at(-1)).toEqual(['createTab', { url: signOutFirstUrl(LOGIN), active: true }]);
  });

  it('follows the modifier keys over the setting', async () => {
    const { calls, open } = setup({ openMode: 'new-window', consoleSessionMode: 'multi-session', reuseOpenSessions: false });
    expect(await open({ disposition: 'background-tab' })).toEqual({ opened: 'background-tab' });
    expect(await open({ disposition: 'default' })).toEqual({ opened: 'new-window' });
    expect(await open({ disposition: 'new-tab' })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([
      ['createTab', { url: LOGIN, active: false }],
      ['createWindow', { url: LOGIN }],
      ['createTab', { url: LOGIN, active: true }],
    ]);
  });

  it('reuses the active tab only when it shows a console', async () => {
    const consoleTab = { id: 7, url: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1' };
    const reuse = setup({ openMode: 'reuse-console-tab' }, { activeTab: consoleTab });
    expect(await reuse.open({ disposition: 'default' })).toEqual({ opened: 'reused-tab' });
    expect(reuse.calls).toEqual([['updateTab', 7, { url: signOutFirstUrl(LOGIN), active: true }]]);

    const mail = setup({ openMode: 'reuse-console-tab' }, { activeTab: { id: 8, url: 'https://mail.example.com/' } });
    expect(await mail.open({ disposition: 'default' })).toEqual({ opened: 'new-tab' });
    expect(mail.calls).toEqual([['createTab', { url: signOutFirstUrl(LOGIN), active: true }]]);

    const hidden = setup({ openMode: 'reuse-console-tab' }, { activeTab: { id: 9 } });
    expect(await hidden.open({ disposition: 'default' })).toEqual({ opened: 'new-tab' });
  });

  it("opens in the account's container, made once and coloured like the account", async () => {
    const identities = fakeIdentities();
    const { calls, open } = setup({ firefoxContainers: true, reuseOpenSessions: false }, { identities });
    const first = await open({ disposition: 'default' });
    await open({ disposition: 'new-window' });
    expect(first).toEqual({ opened: 'new-tab', container: 'AWS payments-prod (111111111111)' });
    expect(identities.store).toEqual([{ cookieStoreId: 'firefox-container-1', name: 'AWS payments-prod (111111111111)', color: 'red' }]);
    expect(calls).toEqual([
      ['createTab', { url: signOutFirstUrl(LOGIN), active: true, cookieStoreId: 'firefox-container-1' }],
      ['createWindow', { url: signOutFirstUrl(LOGIN), cookieStoreId: 'firefox-container-1' }],
    ]);
  });

  it('recolours a container when the account colour changed, and never reuses a tab of another container', async () => {
    const identities = fakeIdentities([{ cookieStoreId: 'c-1', name: 'AWS payments-prod (111111111111)', color: 'blue' }]);
    const tab = { id: 3, url: 'https://console.aws.amazon.com/', cookieStoreId: 'firefox-default' };
    const { calls, open } = setup(
      { firefoxContainers: true, openMode: 'reuse-console-tab', consoleSessionMode: 'multi-session' },
      { activeTab: tab, identities },
    );
    expect(await open({ disposition: 'default' })).toMatchObject({ opened: 'new-tab' });
    expect(identities.store[0]?.color).toBe('red');
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true, cookieStoreId: 'c-1' }]]);
  });

  it('opens without a container where containers are unavailable (Chromium, or the permission was refused)', async () => {
    const { calls, open } = setup({ firefoxContainers: true, consoleSessionMode: 'multi-session' });
    expect(await open({ disposition: 'default' })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true }]]);
  });
});

describe('open console sessions', () => {
  it('brings the tab of a pair already signed in to the front instead of signing in again', async () => {
    const { calls, open, signIns } = setup({ consoleSessionMode: 'multi-session' });
    await open({ disposition: 'default' });
    await open({ disposition: 'default', account: other });
    expect(await open({ disposition: 'default' })).toEqual({ opened: 'session-tab', existingSession: true });
    expect(calls.at(-1)).toEqual(['focusTab', 101]);
    expect(signIns).toHaveLength(2);
  });

  it('signs in again once the tab is closed and the session host was never seen, or when the person turned reuse off', async () => {
    const { calls, open, sessions, signIns, openTabs } = setup({ consoleSessionMode: 'multi-session' });
    await open({ disposition: 'default' });
    openTabs.delete(101);
    await sessions.tabClosed(101);
    expect(await open({ disposition: 'default' })).toEqual({ opened: 'new-tab' });
    expect(signIns).toHaveLength(2);

    const off = setup({ consoleSessionMode: 'multi-session', reuseOpenSessions: false });
    await off.open({ disposition: 'default' });
    await off.open({ disposition: 'default' });
    expect(off.signIns).toHaveLength(2);
    expect(off.calls.some(([call]) => call === 'focusTab')).toBe(false);
    expect(calls.filter(([call]) => call === 'createTab')).toHaveLength(2);
  });

  it("opens a new tab on the session's own host, learnt from the active tab, for a destination or once its tab is gone", async () => {
    const { calls, open, sessions, signIns, openTabs } = setup({ consoleSessionMode: 'automatic' });
    await sessions.observe({ url: 'https://999999999999-zzzzzzzz.us-east-1.console.aws.amazon.com/' });
    await open({ disposition: 'default' });
    // The popup opens over the console tab it signed in to: activeTab shows which session host it landed on.
    await sessions.observe({ id: 101, url: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1' });
    expect(await sessions.find('111111111111:Admin')).toMatchObject({ origin: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com' });

    expect(await open({ disposition: 'default', destination: '/ec2/home#Instances:', region: 'eu-west-1' })).toEqual({
      opened: 'new-tab',
      existingSession: true,
    });
    expect(calls.at(-1)).toEqual([
      'createTab',
      { url: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:', active: true },
    ]);
    openTabs.clear();
    await sessions.tabClosed(102);
    expect(await open({ disposition: 'background-tab' })).toEqual({ opened: 'background-tab', existingSession: true });
    expect(calls.at(-1)).toEqual([
      'createTab',
      { url: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1', active: false },
    ]);
    expect(signIns).toHaveLength(1);
  });

  it('forgets a tab that came to show another account, and a session whose time ran out', async () => {
    let clock = 1_000_000;
    const { open, sessions, signIns } = setup({ consoleSessionMode: 'multi-session' }, { now: () => clock });
    await open({ disposition: 'default', sessionSeconds: 900 });
    await sessions.observe({ id: 101, url: 'https://222222222222-abcd1234.eu-west-1.console.aws.amazon.com/' });
    expect((await sessions.find('111111111111:Admin'))?.tabId).toBeUndefined();
    clock += 900_000;
    expect(await sessions.find('111111111111:Admin')).toBeUndefined();
    await open({ disposition: 'default' });
    expect(signIns).toHaveLength(2);
  });

  it('asks the backend again for a pair no longer in the list, even with its session open', async () => {
    const { open, signIns } = setup({ consoleSessionMode: 'multi-session' });
    await open({ disposition: 'default' });
    expect(await open({ disposition: 'default', listed: false })).toEqual({ opened: 'new-tab' });
    expect(signIns).toHaveLength(2);
  });

  it('in single-session mode, a sign-in ends the other sessions of its cookie jar', async () => {
    const { open, sessions } = setup({ consoleSessionMode: 'single-session' });
    await open({ disposition: 'default' });
    await open({ disposition: 'default', account: other });
    expect((await sessions.list()).map((session) => session.pair)).toEqual(['222222222222:Admin']);
  });

  it('says when the browser holds the five sessions the console allows', async () => {
    const { open, sessions, settings } = setup({ consoleSessionMode: 'multi-session' });
    for (const permissionSet of ['A', 'B', 'C', 'D']) await open({ disposition: 'default', permissionSet });
    expect(await consoleSessionsState(settings, sessions)).toEqual({
      mode: 'multi-session',
      open: ['111111111111:A', '111111111111:B', '111111111111:C', '111111111111:D'],
      full: false,
    });
    await open({ disposition: 'default', permissionSet: 'E' });
    expect(await consoleSessionsState(settings, sessions)).toMatchObject({ full: true });
    expect(await consoleSessionsState({ consoleSessionMode: 'single-session' }, sessions)).toMatchObject({ full: false });
  });
});

describe('isConsoleTab', () => {
  it.each([
    ['https://console.aws.amazon.com/console/home', true],
    ['https://eu-west-1.console.aws.amazon.com/ec2/home', true],
    ['https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/s3/home', true],
    ['https://console.amazonaws-us-gov.com/', true],
    ['https://console.amazonaws.cn/', true],
    ['https://signin.aws.amazon.com/federation?Action=login', true],
    ['https://console.aws.amazon.com.evil.example/', false],
    ['https://evilconsole.aws.amazon.com/', false],
    ['http://console.aws.amazon.com/', false],
    ['chrome://newtab/', false],
    ['not a url', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isConsoleTab(url, LOGIN)).toBe(expected);
  });
});

describe('containerColorFor', () => {
  it.each([
    ['#d13212', 'red'],
    ['#1d8102', 'green'],
    ['#0073bb', 'blue'],
    ['#fc0', 'yellow'],
    ['#8e44ad', 'purple'],
    ['#777777', 'toolbar'],
    ['rebeccapurple', 'toolbar'],
    [undefined, 'toolbar'],
  ])('%s -> %s', (color, expected) => {
    expect(containerColorFor(color)).toBe(expected);
  });
});
