/**
 * Opens a console sign-in URL where the person asked: a new tab, a background tab, a new window, or
 * the console tab they are looking at (settings.openMode, overridden per click by the modifier keys),
 * in the account's Firefox container when they turned containers on. The URL is a bearer secret:
 * it goes to the browser and nowhere else.
 */
import type { Disposition, OpenedIn } from '../open-disposition.ts';
import type { Settings } from '../settings/settings.ts';
import { isConsoleTab, signOutFirstUrl } from './console-tabs.ts';
import { containerFor, containerNameFor } from './containers.ts';
import type { ContextualIdentitiesApi } from './containers.ts';

export interface BrowserTab {
  id?: number;
  url?: string;
  cookieStoreId?: string;
}

/** The browser calls the opener makes; index.ts passes the real ones, tests pass recorders. */
export interface ConsoleOpenerDeps {
  createTab(details: { url: string; active: boolean; cookieStoreId?: string }): Promise<unknown>;
  updateTab(tabId: number, details: { url: string; active: boolean }): Promise<unknown>;
  createWindow(details: { url: string; cookieStoreId?: string }): Promise<unknown>;
  /** The active tab of the focused window; its URL is visible thanks to activeTab (granted when the popup opened). */
  activeTab(): Promise<BrowserTab | undefined>;
  /** Firefox's contextualIdentities when available and permitted; undefined elsewhere. */
  containers(): Promise<ContextualIdentitiesApi | undefined>;
  settings(): Promise<Pick<Settings, 'openMode' | 'firefoxContainers' | 'consoleMultiSession'>>;
}

export interface OpenConsoleRequest {
  loginUrl: string;
  disposition: Disposition;
  account: { id: string; name: string; color?: string };
}

export interface OpenConsoleResult {
  opened: OpenedIn;
  /** The Firefox container's name, when the console opened in one. */
  container?: string;
}

export type ConsoleOpener = (request: OpenConsoleRequest) => Promise<OpenConsoleResult>;

export function makeConsoleOpener(deps: ConsoleOpenerDeps): ConsoleOpener {
  return async ({ loginUrl, disposition, account }) => {
    const settings = await deps.settings();
    const mode = disposition === 'default' ? settings.openMode : disposition;
    const identities = settings.firefoxContainers ? await deps.containers() : undefined;
    const cookieStoreId = identities ? await containerFor(identities, account) : undefined;
    const inContainer = cookieStoreId ? { cookieStoreId } : {};
    const container = cookieStoreId ? { container: containerNameFor(account) } : {};
    // In multi-session mode the console adds this session beside the others; otherwise (and in a
    // container, whose jar may hold another role of the same account) end the jar's session first.
    const url = settings.consoleMultiSession ? loginUrl : signOutFirstUrl(loginUrl);

    if (mode === 'reuse-console-tab') {
      const tab = await deps.activeTab();
      const sameJar = !cookieStoreId || tab?.cookieStoreId === cookieStoreId;
      if (tab?.id !== undefined && sameJar && isConsoleTab(tab.url, loginUrl)) {
        await deps.updateTab(tab.id, { url, active: true });
        return { opened: 'reused-tab', ...container };
      }
    }
    if (mode === 'new-window') {
      await deps.createWindow({ url, ...inContainer });
      return { opened: 'new-window', ...container };
    }
    const active = mode !== 'background-tab';
    await deps.createTab({ url, active, ...inContainer });
    return { opened: active ? 'new-tab' : 'background-tab', ...container };
  };
}
