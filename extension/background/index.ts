/** Service worker (Chrome) / background script (Firefox): wires the message handler to the browser. */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { makeBrowserSettingsSource } from '../settings/browser-source.ts';
import { buildDefaults } from '../settings/build-defaults.ts';
import { bindSessionToBackend } from './backend-bound-session.ts';
import { requireBackendOnOpen } from './backend-gate.ts';
import { consoleSessionsState, makeConsoleOpener } from './console-opener.ts';
import { makeConsoleSessions } from './console-sessions.ts';
import { CONTAINER_PERMISSIONS } from './containers.ts';
import type { ContextualIdentitiesApi } from './containers.ts';
import { makeElevationWatch, WATCH_ALARM } from './elevation-watch.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeListRefresh } from './list-refresh.ts';
import { makeMessageHandler } from './message-handler.ts';
import { makeSessionKeeper } from './session-keeper.ts';
import { makeSessionStore } from './session-store.ts';
import { errorName } from '../../shared/error-text.ts';
import { makeSettingsApiClient } from './settings-api-client.ts';
import type { KeyValueArea } from './storage-area.ts';

// Extension CSP forbids eval; tell zod not to even try its compiled validators.
z.config({ jitless: true });

// Company policy (storage.managed) > the person's options (storage.sync) > the build's default; follows changes.
const settings = makeBrowserSettingsSource(browser.storage, buildDefaults());
// storage.session: memory only, gone when the browser closes. The token must never go to storage.local.
const sessionArea: KeyValueArea = browser.storage.session;
const session = bindSessionToBackend(makeSessionStore(sessionArea), sessionArea, async () => (await settings.current()).values.apiUrl);
const cache = makeEntitlementCache(sessionArea);
const consoleSessions = makeConsoleSessions({ sessionArea, localArea: browser.storage.local });
const api = makeSettingsApiClient(settings);
const keeper = makeSessionKeeper({ api, store: session, cache });

/** The elevation watch's alarm: every half minute (the least Chrome allows a packed extension), while something waits. */
const WATCH_PERIOD_MINUTES = 0.5;
const watch = makeElevationWatch({
  area: sessionArea,
  api,
  cache,
  keeper,
  refreshList: makeListRefresh({ api, cache, keeper, now: () => new Date() }),
  async showBadge({ text, color, title }) {
    await Promise.all([browser.action.setBadgeText({ text }), browser.action.setBadgeBackgroundColor({ color }), browser.action.setTitle({ title })]);
  },
  alarm: {
    async start() {
      if (!(await browser.alarms.get(WATCH_ALARM)))
        await browser.alarms.create(WATCH_ALARM, { delayInMinutes: WATCH_PERIOD_MINUTES, periodInMinutes: WATCH_PERIOD_MINUTES });
    },
    async stop() {
      await browser.alarms.clear(WATCH_ALARM);
    },
  },
  now: Date.now,
});

// Registered at the top level: an alarm wakes the service worker, which must find its listener at once.
browser.alarms.onAlarm.addListener((alarm) => {
  // Only the error's class: nothing of a request or a token goes to the console.
  if (alarm.name === WATCH_ALARM)
    watch.tick().catch((error: unknown) => console.error(`Switchyard background: the elevation watch failed with ${errorName(error)}`));
});

async function activeTab(): Promise<browser.Tabs.Tab | undefined> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  return tab;
}

// A console tab that closes no longer shows its session (the session itself may live on in the browser).
browser.tabs.onRemoved.addListener((tabId) => void consoleSessions.tabClosed(tabId));

// A new backend URL ends the session that belongs to the old one (its list too), at once rather than on next use.
settings.onChange(() => {
  void (async () => {
    if ((await session.read()).kind === 'none') await Promise.all([cache.clear(), watch.stop()]);
  })();
});

const handleMessage = requireBackendOnOpen(
  makeMessageHandler({
    api,
    session,
    cache,
    keeper,
    watch,
    openConsole: makeConsoleOpener({
      createTab: (details) => browser.tabs.create(details),
      updateTab: (tabId, details) => browser.tabs.update(tabId, details),
      createWindow: async (details) => (await browser.windows.create(details)).tabs?.[0],
      async focusTab(tabId) {
        try {
          const tab = await browser.tabs.update(tabId, { active: true });
          if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
          return true;
        } catch {
          return false; // closed meanwhile
        }
      },
      activeTab,
      async containers() {
        // Firefox only, and only once the person granted the optional "cookies" permission.
        const api = (browser as { contextualIdentities?: ContextualIdentitiesApi }).contextualIdentities;
        if (!api || !(await browser.permissions.contains({ permissions: CONTAINER_PERMISSIONS as browser.Manifest.OptionalPermission[] })))
          return undefined;
        return api;
      },
      settings: async () => (await settings.current()).values,
      sessions: consoleSessions,
    }),
    consoleSessions: {
      async state() {
        // The popup has just opened: activeTab lets the address of the tab under it be read.
        await consoleSessions.observe(await activeTab().catch(() => undefined));
        return consoleSessionsState((await settings.current()).values, consoleSessions);
      },
      forget: () => consoleSessions.forget(),
    },
    async backend() {
      const current = await settings.current();
      return { ...(current.values.apiUrl ? { apiUrl: current.values.apiUrl } : {}), lockedByPolicy: current.lockedByPolicy.includes('apiUrl') };
    },
    // Sign-in: the settings in force say which methods to offer; single sign-on runs in the browser's identity window.
    settings: async () => (await settings.current()).values,
    webAuth: {
      launch: (url) => browser.identity.launchWebAuthFlow({ url, interactive: true }),
      redirectUrl: () => browser.identity.getRedirectURL(),
    },
  }),
  settings,
);

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only our own pages talk to the background; anything else gets no answer.
  if (sender.id !== browser.runtime.id) return undefined;
  return handleMessage(message);
});
