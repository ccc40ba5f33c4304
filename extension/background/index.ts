/** Service worker (Chrome) / background script (Firefox): wires the message handler to the browser. */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { buildTimeConfig } from '../config.ts';
import { makeApiClient } from './api-client.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { makeMessageHandler } from './message-handler.ts';
import { makeSessionStore } from './session-store.ts';
import { buildTimeSettings } from '../settings/settings.ts';
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
  async openTab(url) {
    await browser.tabs.create({ url, active: true });
  },
  // sign-in (issue 8): the settings in force (options and company policy layer over the build's), and single sign-on
  settings: async () => buildTimeSettings(config.apiUrl).values,
  webAuth: {
    launch: (url) => browser.identity.launchWebAuthFlow({ url, interactive: true }),
    redirectUrl: () => browser.identity.getRedirectURL(),
  },
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only our own pages talk to the background; anything else gets no answer.
  if (sender.id !== browser.runtime.id) return undefined;
  return handleMessage(message);
});
