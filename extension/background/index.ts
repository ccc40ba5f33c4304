/** Service worker (Chrome) / background script (Firefox): wires the message handler to the browser. */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { buildTimeConfig } from '../config.ts';
import { buildTimeSettings } from '../settings/settings.ts';
import { makeApiClient } from './api-client.ts';
import { makeConsoleOpener } from './console-opener.ts';
import { CONTAINER_PERMISSIONS } from './containers.ts';
import type { ContextualIdentitiesApi } from './containers.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeMessageHandler } from './message-handler.ts';
import { makeSessionStore } from './session-store.ts';
import type { KeyValueArea } from './storage-area.ts';

// Extension CSP forbids eval; tell zod not to even try its compiled validators.
z.config({ jitless: true });

const config = buildTimeConfig();
// storage.session: memory only, gone when the browser closes. The token must never go to storage.local.
const sessionArea: KeyValueArea = browser.storage.session;

const handleMessage = makeMessageHandler({
  api: makeApiClient({ baseUrl: config.apiUrl }),
  session: makeSessionStore(sessionArea),
  cache: makeEntitlementCache(sessionArea),
  openConsole: makeConsoleOpener({
    createTab: (details) => browser.tabs.create(details),
    updateTab: (tabId, details) => browser.tabs.update(tabId, details),
    createWindow: (details) => browser.windows.create(details),
    async activeTab() {
      const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
      return tab;
    },
    async containers() {
      // Firefox only, and only once the person granted the optional "cookies" permission.
      const api = (browser as { contextualIdentities?: ContextualIdentitiesApi }).contextualIdentities;
      if (!api || !(await browser.permissions.contains({ permissions: CONTAINER_PERMISSIONS as browser.Manifest.OptionalPermission[] })))
        return undefined;
      return api;
    },
    // Until the options page and managed policy land (rollout), the build's defaults.
    settings: async () => buildTimeSettings(config.apiUrl).values,
  }),
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only our own pages talk to the background; anything else gets no answer.
  if (sender.id !== browser.runtime.id) return undefined;
  return handleMessage(message);
});
