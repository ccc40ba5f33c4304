/**
 * Where the popup's components run, as one small interface: the extension's popup (messages to the
 * background, storage.session, storage.sync: extension-host.ts) or the web page (web/: the page's own API
 * client, sessionStorage, localStorage). Components reach it with useHost(), so the list, the sign-in form
 * and the panels are the same components in both places. No zod here: the popup imports it.
 */
import { createContext } from 'preact';
import type { ComponentType } from 'preact';
import { useContext } from 'preact/hooks';
import type { BackgroundReply, PopupToBackground, PopupToBackgroundType } from '../messages.ts';
import type { CachedList } from './cached-list-reader.ts';
import type { PinnedDestination, Preferences } from './preferences.ts';

/** A request of messages.ts and its reply: sign in, the list, opening a console. */
export type SendRequest = <T extends PopupToBackgroundType>(message: Extract<PopupToBackground, { type: T }>) => Promise<BackgroundReply<T>>;

/** Where the person's favourites, recently used rows and pinned destinations are kept. */
export interface PreferenceStore {
  load(): Promise<Preferences>;
  saveFavourites(favourites: string[]): Promise<void>;
  saveRecents(recents: string[]): Promise<void>;
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

export const HostContext = createContext<Host | undefined>(undefined);

export function useHost(): Host {
  const host = useContext(HostContext);
  if (!host) throw new Error('the popup components need a HostContext.Provider');
  return host;
}
