/**
 * Which console sessions are open in this browser, as far as the extension can tell, and which mode the
 * AWS console is in. It learns from two things only, neither needing a permission beyond `activeTab`:
 *   - the consoles it signs in to itself: the account and role, the tab it opened them in (kept until
 *     the tab closes) and when the session runs out (the permission set's session length);
 *   - the address of the tab the person is looking at when they open the popup (activeTab): a
 *     multi-session host (`<account>-<session>.<region>.console...`) says the mode is on and, in a tab
 *     the extension opened, which host that account and role's session lives on; a plain regional
 *     console says the mode is off.
 * What it cannot see: consoles signed in without it, and sessions the person signed out of in the
 * console; those count until their tab closes or their time runs out (docs/popup.md, "Console sessions").
 * Nothing here is a secret: no sign-in URL, only account ids, role names, tab ids and console hosts.
 */
import pLimit from 'p-limit';
import { consoleModeEvidence } from '../../shared/console/session-hosts.ts';
import type { KeyValueArea } from './storage-area.ts';

export type ConsoleMode = 'single-session' | 'multi-session';

/** One console session the extension signed in to. */
export interface OpenSession {
  /** "<account id>:<permission set>", as the popup keys its rows. */
  pair: string;
  /** The tab it was opened in, while that tab is open. */
  tabId?: number;
  /** Firefox: the container's cookie store, when it opened in one. */
  cookieStoreId?: string;
  /** The session's own host (multi-session mode), once seen in the active tab. */
  origin?: string;
  region?: string;
  /** Epoch ms at which the console session runs out. */
  expiresAt: number;
}

/** The last thing a tab's address said about the console's mode. */
interface ModeSeen {
  mode: ConsoleMode;
  at: number;
}

export interface ObservedTab {
  id?: number;
  url?: string;
}

export interface ConsoleSessions {
  /** Learns what the address of the tab the person is looking at says (its URL is there thanks to activeTab). */
  observe(tab: ObservedTab | undefined): Promise<void>;
  /** The mode the tabs seen last said, if any said one. */
  seenMode(): Promise<ConsoleMode | undefined>;
  /** The sessions still open (not run out). */
  list(): Promise<OpenSession[]>;
  find(pair: string): Promise<OpenSession | undefined>;
  /**
   * A console was signed in to. In single-session mode it ended every other session of the same cookie
   * jar (the sign-out first); in multi-session mode it joined them.
   */
  signedIn(session: OpenSession, mode: ConsoleMode): Promise<void>;
  /** An open session's page was opened in another tab: that tab is now the session's. */
  shownIn(pair: string, tabId: number | undefined): Promise<void>;
  tabClosed(tabId: number): Promise<void>;
  /** Forgets every session (the person signed out of Switchyard: nothing of theirs stays). */
  forget(): Promise<void>;
}

export const SESSIONS_KEY = 'console-sessions';
export const MODE_KEY = 'console-mode-seen';

export interface ConsoleSessionsDeps {
  /** storage.session: memory only; tab ids mean nothing after the browser restarts. */
  sessionArea: KeyValueArea;
  /** storage.local: the console's mode is a setting of the browser profile, kept across restarts. */
  localArea: KeyValueArea;
  now?: () => number;
}

function isOpenSession(value: unknown): value is OpenSession {
  if (!value || typeof value !== 'object') return false;
  const session = value as Record<string, unknown>;
  return typeof session.pair === 'string' && typeof session.expiresAt === 'number';
}

export function makeConsoleSessions(deps: ConsoleSessionsDeps): ConsoleSessions {
  const now = deps.now ?? Date.now;
  // One change at a time: each reads the stored list, changes it and writes it back.
  const serially = pLimit(1);

  async function read(): Promise<OpenSession[]> {
    const stored = (await deps.sessionArea.get(SESSIONS_KEY))[SESSIONS_KEY];
    const at = now();
    return Array.isArray(stored) ? stored.filter(isOpenSession).filter((session) => session.expiresAt > at) : [];
  }

  /** Writes only what changed, and nothing at all once no session is left. */
  function change(edit: (sessions: OpenSession[]) => OpenSession[]): Promise<void> {
    return serially(async () => {
      const stored = (await deps.sessionArea.get(SESSIONS_KEY))[SESSIONS_KEY];
      const next = edit(await read());
      if (next.length === 0) {
        if (stored !== undefined) await deps.sessionArea.remove(SESSIONS_KEY);
      } else if (JSON.stringify(next) !== JSON.stringify(stored)) {
        await deps.sessionArea.set({ [SESSIONS_KEY]: next });
      }
    });
  }

  return {
    async observe(tab) {
      const evidence = consoleModeEvidence(tab?.url);
      if (!evidence) return;
      await deps.localArea.set({ [MODE_KEY]: { mode: evidence.mode, at: now() } satisfies ModeSeen });
      const tabId = tab?.id;
      if (tabId === undefined) return;
      await change((sessions) =>
        sessions.map((session) => {
          if (session.tabId !== tabId) return session;
          // The tab now shows another account's session, or a console without sessions: it is no longer this one's.
          if (evidence.mode !== 'multi-session' || !session.pair.startsWith(`${evidence.session.accountId}:`)) return withoutTab(session);
          return { ...session, origin: evidence.session.origin, region: evidence.session.region };
        }),
      );
    },

    async seenMode() {
      const seen = (await deps.localArea.get(MODE_KEY))[MODE_KEY] as Partial<ModeSeen> | undefined;
      return seen?.mode === 'multi-session' || seen?.mode === 'single-session' ? seen.mode : undefined;
    },

    list: () => serially(read),

    async find(pair) {
      return (await serially(read)).find((session) => session.pair === pair);
    },

    signedIn(session, mode) {
      return change((sessions) => [
        ...sessions
          .filter((other) => {
            if (other.pair === session.pair) return false;
            // The sign-out first ended every session of the jar it ran in.
            if (mode === 'single-session') return other.cookieStoreId !== session.cookieStoreId;
            return true;
          })
          .map((other) => (session.tabId !== undefined && other.tabId === session.tabId ? withoutTab(other) : other)),
        session,
      ]);
    },

    shownIn(pair, tabId) {
      if (tabId === undefined) return Promise.resolve();
      return change((sessions) =>
        sessions.map((session) => {
          if (session.pair === pair) return { ...session, tabId };
          return session.tabId === tabId ? withoutTab(session) : session;
        }),
      );
    },

    tabClosed(tabId) {
      return change((sessions) => sessions.map((session) => (session.tabId === tabId ? withoutTab(session) : session)));
    },

    forget() {
      return change(() => []);
    },
  };
}

function withoutTab(session: OpenSession): OpenSession {
  const rest = { ...session };
  delete rest.tabId;
  return rest;
}
