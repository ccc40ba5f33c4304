import { describe, expect, it } from 'vitest';
import type { Settings } from '../settings/settings.ts';
import { makeConsoleOpener } from './console-opener.ts';
import type { BrowserTab } from './console-opener.ts';
import { isConsoleTab, signOutFirstUrl } from './console-tabs.ts';
import { containerColorFor } from './containers.ts';
import type { ContextualIdentitiesApi, ContextualIdentity } from './containers.ts';

const LOGIN = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=x&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=secret';
const account = { id: '111111111111', name: 'payments-prod', color: '#d13212' };
type OpenSettings = Pick<Settings, 'openMode' | 'firefoxContainers' | 'consoleMultiSession'>;

function setup(settings: Partial<OpenSettings> = {}, activeTab?: BrowserTab, identities?: ContextualIdentitiesApi) {
  const calls: unknown[][] = [];
  const open = makeConsoleOpener({
    createTab: async (details) => calls.push(['createTab', details]),
    updateTab: async (id, details) => calls.push(['updateTab', id, details]),
    createWindow: async (details) => calls.push(['createWindow', details]),
    activeTab: async () => activeTab,
    containers: async () => identities,
    settings: async () => ({ openMode: 'new-tab', firefoxContainers: false, consoleMultiSession: false, ...settings }),
  });
  return { calls, open };
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
    expect(await open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([['createTab', { url: signOutFirstUrl(LOGIN), active: true }]]);
    const hop = new URL(signOutFirstUrl(LOGIN));
    expect(`${hop.origin}${hop.pathname}`).toBe('https://signin.aws.amazon.com/oauth');
    expect(hop.searchParams.get('Action')).toBe('logout');
    expect(hop.searchParams.get('redirect_uri')).toBe(LOGIN);
  });

  it('leaves other sessions alone in multi-session mode', async () => {
    const { calls, open } = setup({ consoleMultiSession: true });
    await open({ loginUrl: LOGIN, disposition: 'default', account });
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true }]]);
  });

  it('follows the modifier keys over the setting', async () => {
    const { calls, open } = setup({ openMode: 'new-window', consoleMultiSession: true });
    expect(await open({ loginUrl: LOGIN, disposition: 'background-tab', account })).toEqual({ opened: 'background-tab' });
    expect(await open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'new-window' });
    expect(await open({ loginUrl: LOGIN, disposition: 'new-tab', account })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([
      ['createTab', { url: LOGIN, active: false }],
      ['createWindow', { url: LOGIN }],
      ['createTab', { url: LOGIN, active: true }],
    ]);
  });

  it('reuses the active tab only when it shows a console', async () => {
    const consoleTab = { id: 7, url: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1' };
    const reuse = setup({ openMode: 'reuse-console-tab' }, consoleTab);
    expect(await reuse.open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'reused-tab' });
    expect(reuse.calls).toEqual([['updateTab', 7, { url: signOutFirstUrl(LOGIN), active: true }]]);

    const other = setup({ openMode: 'reuse-console-tab' }, { id: 8, url: 'https://mail.example.com/' });
    expect(await other.open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'new-tab' });
    expect(other.calls).toEqual([['createTab', { url: signOutFirstUrl(LOGIN), active: true }]]);

    const hidden = setup({ openMode: 'reuse-console-tab' }, { id: 9 });
    expect(await hidden.open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'new-tab' });
  });

  it("opens in the account's container, made once and coloured like the account", async () => {
    const identities = fakeIdentities();
    const { calls, open } = setup({ firefoxContainers: true }, undefined, identities);
    const first = await open({ loginUrl: LOGIN, disposition: 'default', account });
    await open({ loginUrl: LOGIN, disposition: 'new-window', account });
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
    const { calls, open } = setup({ firefoxContainers: true, openMode: 'reuse-console-tab', consoleMultiSession: true }, tab, identities);
    expect(await open({ loginUrl: LOGIN, disposition: 'default', account })).toMatchObject({ opened: 'new-tab' });
    expect(identities.store[0]?.color).toBe('red');
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true, cookieStoreId: 'c-1' }]]);
  });

  it('opens without a container where containers are unavailable (Chromium, or the permission was refused)', async () => {
    const { calls, open } = setup({ firefoxContainers: true, consoleMultiSession: true });
    expect(await open({ loginUrl: LOGIN, disposition: 'default', account })).toEqual({ opened: 'new-tab' });
    expect(calls).toEqual([['createTab', { url: LOGIN, active: true }]]);
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
