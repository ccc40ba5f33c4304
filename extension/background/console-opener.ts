/**
 * Opens a console where the person asked: a new tab, a background tab, a new window, or the console tab
 * they are looking at (settings.openMode, overridden per click by the modifier keys), in the account's
 * Firefox container when they turned containers on.
 *
 * An account and role whose console session is already open is not signed in to again (unless the
 * person turned that off): a plain click goes to its tab, and otherwise a new tab opens on the session's
 * own host when it is known (console-sessions.ts). Otherwise the backend's sign-in URL is opened: straight
 * in the console's multi-session mode, behind a sign-out first in single-session mode. The URL is a bearer
 * secret: it goes to the browser and nowhere else, and is asked for only when a sign-in is needed.
 */
import { MAX_CONSOLE_SESSIONS, sessionPageUrl } from '../../shared/console/session-hosts.ts';
import type { Disposition, OpenedIn } from '../open-disposition.ts';
import type { Settings } from '../settings/settings.ts';
import { isConsoleTab, signOutFirstUrl } from './console-tabs.ts';
import type { ConsoleMode, ConsoleSessions } from './console-sessions.ts';
import { containerFor, containerNameFor } from './containers.ts';
import type { ContextualIdentitiesApi } from './containers.ts';

export interface BrowserTab {
  id?: number;
  url?: string;
  cookieStoreId?: string;
}

/** The browser calls the opener makes; index.ts passes the real ones, tests pass recorders. */
export interface ConsoleOpenerDeps {
  createTab(details: { url: string; active: boolean; cookieStoreId?: string }): Promise<BrowserTab>;
  updateTab(tabId: number, details: { url: string; active: boolean }): Promise<unknown>;
  /** Resolves with the new window's tab. */
  createWindow(details: { url: string; cookieStoreId?: string }): Promise<BrowserTab | undefined>;
  /** Brings the tab and its window to the front; false when the tab is gone. */
  focusTab(tabId: number): Promise<boolean>;
  /** The active tab of the focused window; its URL is visible thanks to activeTab (granted when the popup opened). */
  activeTab(): Promise<BrowserTab | undefined>;
  /** Firefox's contextualIdentities when available and permitted; undefined elsewhere. */
  containers(): Promise<ContextualIdentitiesApi | undefined>;
  settings(): Promise<Pick<Settings, 'openMode' | 'firefoxContainers' | 'consoleSessionMode' | 'reuseOpenSessions'>>;
  sessions: ConsoleSessions;
  now?: () => number;
}

export interface OpenConsoleRequest {
  /** Asks the backend for a sign-in URL; called only when the console must be signed in to. */
  signInUrl(): Promise<string>;
  disposition: Disposition;
  account: { id: string; name: string; color?: string };
  permissionSet: string;
  /** How long a console session of this pair lasts. */
  sessionSeconds: number;
  /** What the person chose in the panel, if anything: a console path or URL, and a region. */
  destination?: string;
  region?: string;
  /** The pair is in the person's list: an open session of it may be shown without asking the backend. */
  listed: boolean;
}

export interface OpenConsoleResult {
  opened: OpenedIn;
  /** The console session was already open: nothing was signed in to. */
  existingSession?: true;
  /** The Firefox container's name, when the console opened in one. */
  container?: string;
}

export type ConsoleOpener = (request: OpenConsoleRequest) => Promise<OpenConsoleResult>;

/** Where the console opens and in which cookie jar. */
interface Placement {
  mode: Exclude<Disposition, 'default'> | 'reuse-console-tab';
  cookieStoreId?: string;
  container?: string;
}

/** The console's mode for this click: the setting, or in "automatic" what the tabs seen last said (single-session until then). */
export async function effectiveConsoleMode(settings: Pick<Settings, 'consoleSessionMode'>, sessions: ConsoleSessions): Promise<ConsoleMode> {
  if (settings.consoleSessionMode !== 'automatic') return settings.consoleSessionMode;
  return (await sessions.seenMode()) ?? 'single-session';
}

/** The state the popup shows: the console's mode, the pairs with an open session, and whether the browser holds all it can. */
export async function consoleSessionsState(settings: Pick<Settings, 'consoleSessionMode'>, sessions: ConsoleSessions) {
  const mode = await effectiveConsoleMode(settings, sessions);
  const open = (await sessions.list()).map((session) => session.pair);
  return { mode, open, full: mode === 'multi-session' && open.length >= MAX_CONSOLE_SESSIONS };
}

export function makeConsoleOpener(deps: ConsoleOpenerDeps): ConsoleOpener {
  const now = deps.now ?? Date.now;

  /** Opens `url` as placed; resolves with the tab it is in, when known. */
  async function show(url: string, placement: Placement, loginUrl: string): Promise<{ opened: OpenedIn; tab?: BrowserTab }> {
    const inContainer = placement.cookieStoreId ? { cookieStoreId: placement.cookieStoreId } : {};
    if (placement.mode === 'reuse-console-tab') {
      const tab = await deps.activeTab();
      const sameJar = !placement.cookieStoreId || tab?.cookieStoreId === placement.cookieStoreId;
      if (tab?.id !== undefined && sameJar && isConsoleTab(tab.url, loginUrl)) {
        await deps.updateTab(tab.id, { url, active: true });
        return { opened: 'reused-tab', tab };
      }
    }
    if (placement.mode === 'new-window') return { opened: 'new-window', tab: await deps.createWindow({ url, ...inContainer }) };
    const active = placement.mode !== 'background-tab';
    return { opened: active ? 'new-tab' : 'background-tab', tab: await deps.createTab({ url, active, ...inContainer }) };
  }

  return async (request) => {
    const { account, permissionSet, disposition } = request;
    const pair = `${account.id}:${permissionSet}`;
    const settings = await deps.settings();
    const consoleMode = await effectiveConsoleMode(settings, deps.sessions);
    const identities = settings.firefoxContainers ? await deps.containers() : undefined;
    const cookieStoreId = identities ? await containerFor(identities, account) : undefined;
    const placement: Placement = {
      mode: disposition === 'default' ? settings.openMode : disposition,
      ...(cookieStoreId ? { cookieStoreId, container: containerNameFor(account) } : {}),
    };
    const container = placement.container ? { container: placement.container } : {};

    // A pair no longer in the list goes to the backend, which says why it cannot be opened.
    const open = settings.reuseOpenSessions && request.listed ? await deps.sessions.find(pair) : undefined;
    if (open && open.cookieStoreId === cookieStoreId) {
      // A plain click goes to the session's tab; a chosen destination, or another place, needs a page of its own.
      if (disposition === 'default' && !request.destination && open.tabId !== undefined && (await deps.focusTab(open.tabId))) {
        return { opened: 'session-tab', existingSession: true, ...container };
      }
      if (open.origin && open.region) {
        const page = sessionPageUrl({ origin: open.origin, region: open.region }, request.destination, request.region);
        const shown = await show(page, placement.mode === 'reuse-console-tab' ? { ...placement, mode: 'new-tab' } : placement, page);
        await deps.sessions.shownIn(pair, shown.tab?.id);
        return { opened: shown.opened, existingSession: true, ...container };
      }
    }

    const loginUrl = await request.signInUrl();
    // In multi-session mode the console adds this session beside the others; otherwise (and in a
    // container, whose jar may hold another role of the same account) end the jar's session first.
    const url = consoleMode === 'multi-session' ? loginUrl : signOutFirstUrl(loginUrl);
    const shown = await show(url, placement, loginUrl);
    await deps.sessions.signedIn(
      {
        pair,
        ...(shown.tab?.id !== undefined ? { tabId: shown.tab.id } : {}),
        ...(cookieStoreId ? { cookieStoreId } : {}),
        expiresAt: now() + request.sessionSeconds * 1000,
      },
      consoleMode,
    );
    return { opened: shown.opened, ...container };
  };
}
