/** The popup's host in the extension: the background answers by message; the list and preferences are in browser storage. */
import { sendToBackground } from './background-client.ts';
import { browserPreferences } from './browser-preferences.ts';
import { readCachedList } from './cached-list-reader.ts';
import type { Host } from './host.ts';

export const extensionHost: Host = {
  send: sendToBackground,
  readList: readCachedList,
  preferences: browserPreferences,
  showsBackend: true,
};
