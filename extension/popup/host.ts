/**
 * Where the popup's components run, as one small interface (`Host`): the extension's popup, or the web page
 * (web/). Components import the place's parts from here (send, readList, the preference savers, ...), so the
 * list, the sign-in form and the panels are the same components in both places. The extension's parts are
 * the default (messages to the background, storage.session, browser storage); the web page names its own
 * (its own API client, sessionStorage, localStorage) with runIn() before it renders.
 *
 * Module bindings rather than a Preact context or a getter: the popup's first bundle, which its bench
 * measures to the byte, pays nothing for a choice made once per document. No zod here: the popup imports it.
 */
import type { ComponentType } from 'preact';
import type { BackgroundReply, PopupToBackground, PopupToBackgroundType } from '../messages.ts';
import { sendToBackground } from './background-client.ts';
import { readCachedList } from './cached-list-reader.ts';
import type { CachedList } from './cached-list-reader.ts';
import * as browserStorage from './preferences.ts';
import type { PinnedDestination, Preferences } from './preferences.ts';

/** A request of messages.ts and its reply: sign in, the list, opening a console. */
export type SendRequest = <T extends PopupToBackgroundType>(message: Extract<PopupToBackground, { type: T }>) => Promise<BackgroundReply<T>>;

/** Where the person's favourites, recently used rows and pinned destinations are kept. */
export interface PreferenceStore {
  load(): Promise<Preferences>;
  saveFavourites(favourites: string[]): Promise<void>;
  saveRecents(recents: string[]): Promise<void>;
  /** Keeps at most MAX_PINNED. */
  savePinned(pinned: PinnedDestination[]): Promise<void>;
}

/** The pair a row's panel is open for, with the region and destination chosen there. */
export interface PairToolsProps {
  accountId: string;
  accountName: string;
  permissionSet: string;
  region: string;
  destination?: string;
}

export interface Host {
  /** Answers the popup's requests (messages.ts): the extension's background, or the web page's own client. */
  send: SendRequest;
  /** The list as last fetched, read where it is kept (no round trip). */
  readList(): Promise<CachedList | undefined>;
  preferences: PreferenceStore;
  /** The sign-in screen names its backend and links to the options (the extension; the web page is served by its backend). */
  showsBackend: boolean;
  /** What this place adds to a pair's panel, under its region and destination (the web page: its credentials panel). */
  PairTools?: ComponentType<PairToolsProps>;
}

// The place's parts, as the components import them: the extension's, until runIn() names another place's.
export let send: SendRequest = sendToBackground;
export let readList: Host['readList'] = readCachedList;
export let loadPreferences: PreferenceStore['load'] = browserStorage.loadPreferences;
export let saveFavourites: PreferenceStore['saveFavourites'] = browserStorage.saveFavourites;
export let saveRecents: PreferenceStore['saveRecents'] = browserStorage.saveRecents;
export let savePinned: PreferenceStore['savePinned'] = browserStorage.savePinned;
export let showsBackend = true;
export let PairTools: Host['PairTools'];

/** The web page's entry names its parts, once, before it renders. */
export function runIn(place: Host): void {
  ({ send, readList, showsBackend, PairTools } = place);
  ({ load: loadPreferences, saveFavourites, saveRecents, savePinned } = place.preferences);
}
