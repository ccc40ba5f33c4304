/**
 * Keeps the session alive: access tokens last minutes, so before a call the token is renewed with the
 * refresh token when it is about to run out, and a 401 renews once and retries. The backend reads
 * the person's groups again at each renewal, so the list it answers with replaces the cached one.
 * When renewing is refused (the sign-in ended, was signed out elsewhere, or the person lost access),
 * the session becomes `expired`: the tokens go, the person and their cached list stay, and the popup
 * asks them to sign in again.
 *
 * Each refresh token is good once: the backend answers a renewal with the next one, and ends the whole
 * sign-in when it sees a traded one again. So a renewal always uses the newest refresh token stored (a
 * call that failed with an older access token takes the session another call renewed meanwhile), and
 * renewals run one at a time. When the backend says a refresh token was used twice (`refresh_reused`),
 * someone else may hold a copy: the person is signed out, list and all, with a notice saying why.
 *
 * Whatever reads the stored session to decide on a write (keep a list, a renewed session, an expired
 * mark, the popup's head of the list) runs one at a time with sign-out's clearing: a sign-out can
 * come before such a check or after its write, never between them, so nothing of the person outlives it.
 */
import pLimit from 'p-limit';
import type { SessionResponse } from '../../shared/api/session.ts';
import type { SignedInState } from '../messages.ts';
import type { ApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';
import type { EntitlementCache } from './entitlement-cache.ts';
import type { SessionRecord, SessionStore, StoredSession } from './session-store.ts';

/** Renew this long before the token's expiry, so a call made now does not arrive with a dead token. */
const RENEW_MARGIN_MS = 30_000;
/** How long sign-out waits for the backend before it lets the person go anyway. */
const SIGN_OUT_WAIT_MS = 3000;

export const EXPIRED_MESSAGE = 'Your session has expired. Please sign in again.';
export const REUSED_MESSAGE =
  'You were signed out: your sign-in was used from somewhere else as well (a copy of it may be in other hands). Please sign in again.';

export interface SessionKeeperDeps {
  api: ApiClient;
  store: SessionStore;
  cache: EntitlementCache;
  now?: () => number;
}

export interface SessionKeeper {
  /** Starts a session from a sign-in answer; its list becomes the cached one. */
  begin(response: SessionResponse): Promise<SignedInState>;
  /** The session as stored; an active one whose sign-in has ended is turned into `expired` (no network). */
  record(): Promise<SessionRecord>;
  /**
   * Runs a call with a live access token. Throws ApiFailure `signed-out` without a session, `expired`
   * when it ran out and cannot be renewed; other failures (network, 5xx) leave the session as it is.
   */
  withToken<T>(call: (token: string, session: StoredSession) => Promise<T>): Promise<T>;
  /**
   * Runs `write` with the stored session of this session's person, as it is now (perhaps renewed meanwhile),
   * with no sign-out in between; throws ApiFailure `signed-out` when they signed out (or someone else
   * signed in) while a call was under way, and `write` does not run.
   */
  whileSignedIn<T>(session: StoredSession, write: (current: StoredSession) => Promise<T>): Promise<T>;
  /** Keeps the head of the cached list for the popup's next open (EntitlementCache.keepHead), with no sign-out in between. */
  keepListHead(version: string, rows: readonly number[], keys: readonly string[]): Promise<boolean>;
  /** Signs out: the session and the cached list go here, and the backend ends it on the server. */
  end(): Promise<void>;
}

/** What the popup shows beside the cached list: who, and when the sign-in (not one access token) ends. */
export function listMeta(session: StoredSession): { displayName: string; expiresAt: string } {
  return { displayName: session.user.displayName, expiresAt: session.refreshExpiresAt ?? session.expiresAt };
}

export function makeSessionKeeper(deps: SessionKeeperDeps): SessionKeeper {
  const now = deps.now ?? Date.now;
  let renewing: Promise<StoredSession> | undefined;
  /** A check of the stored session and the writes it decides on, or sign-out's clearing: one at a time. */
  const exclusively = pLimit(1);

  const signInEnded = (session: StoredSession) =>
    session.refreshExpiresAt ? Date.parse(session.refreshExpiresAt) <= now() : Date.parse(session.expiresAt) <= now();

  /** A sign-out during a call must stay a sign-out: what the call brings back is dropped. */
  async function stillSignedIn(session: StoredSession): Promise<StoredSession> {
    const record = await deps.store.read();
    if (record.kind !== 'active' || record.session.user.id !== session.user.id) throw new ApiFailure('signed-out', 'Please sign in.');
    return record.session;
  }

  function whileSignedIn<T>(session: StoredSession, write: (current: StoredSession) => Promise<T>): Promise<T> {
    return exclusively(async () => write(await stillSignedIn(session)));
  }

  async function expire(session: StoredSession): Promise<never> {
    await whileSignedIn(session, () => deps.store.markExpired(session.user));
    throw new ApiFailure('expired', EXPIRED_MESSAGE);
  }

  async function save(response: SessionResponse): Promise<StoredSession> {
    const session: StoredSession = {
      token: response.token,
      expiresAt: response.expiresAt,
      ...(response.refreshToken ? { refreshToken: response.refreshToken } : {}),
      ...(response.refreshExpiresAt ? { refreshExpiresAt: response.refreshExpiresAt } : {}),
      source: response.source,
      user: response.user,
    };
    await deps.store.save(session);
    return session;
  }

  /** The backend saw a refresh token of this sign-in twice and ended it: nothing of it is kept. */
  async function signOutReused(session: StoredSession): Promise<never> {
    await whileSignedIn(session, () => Promise.all([deps.store.clear(), deps.cache.clear()]));
    throw new ApiFailure('signed-out', REUSED_MESSAGE, 401, 'refresh_reused');
  }

  /**
   * One renewal at a time: concurrent calls wait for the same one. It starts from the newest stored
   * session, never from `stale`: when another call renewed since `stale` was read, its token is used as
   * it is, and only the newest refresh token is ever sent (an older one would end the sign-in).
   */
  function renew(stale: StoredSession): Promise<StoredSession> {
    renewing ??= (async () => {
      const session = await stillSignedIn(stale);
      if (session.token !== stale.token && Date.parse(session.expiresAt) - now() > RENEW_MARGIN_MS) return session;
      const refreshToken = session.refreshToken;
      if (!refreshToken || signInEnded(session)) return expire(session);
      try {
        const response = await deps.api.refreshSession(refreshToken);
        return await whileSignedIn(session, async () => {
          const renewed = await save(response);
          await deps.cache.save(
            response.user.id,
            { entitlements: response.entitlements, fetchedAt: new Date(now()).toISOString() },
            { ...listMeta(renewed), keepOpenRequests: true },
          );
          return renewed;
        });
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) return error.code === 'refresh_reused' ? signOutReused(session) : expire(session);
        throw error;
      }
    })().finally(() => {
      renewing = undefined;
    });
    return renewing;
  }

  async function active(): Promise<StoredSession> {
    const record = await deps.store.read();
    if (record.kind === 'none') throw new ApiFailure('signed-out', 'Please sign in.');
    if (record.kind === 'expired') throw new ApiFailure('expired', EXPIRED_MESSAGE);
    const session = record.session;
    if (signInEnded(session)) return expire(session);
    return Date.parse(session.expiresAt) - now() > RENEW_MARGIN_MS ? session : renew(session);
  }

  return {
    whileSignedIn,

    keepListHead: (version, rows, keys) => exclusively(() => deps.cache.keepHead(version, rows, keys)),

    begin: (response) =>
      exclusively(async () => {
        const session = await save(response);
        const fetchedAt = new Date(now()).toISOString();
        await deps.cache.save(session.user.id, { entitlements: response.entitlements, fetchedAt }, listMeta(session));
        return { user: session.user, entitlements: response.entitlements, fetchedAt };
      }),

    record: () =>
      exclusively(async (): Promise<SessionRecord> => {
        const record = await deps.store.read();
        if (record.kind !== 'active' || !signInEnded(record.session)) return record;
        await deps.store.markExpired(record.session.user);
        return { kind: 'expired', user: record.session.user };
      }),

    async withToken(call) {
      const session = await active();
      try {
        return await call(session.token, session);
      } catch (error) {
        if (!(error instanceof ApiFailure) || error.kind !== 'signed-out') throw error;
        // The backend no longer takes this token (a key rotated, the session was ended): renew once.
        const renewed = await renew(session);
        try {
          return await call(renewed.token, renewed);
        } catch (again) {
          if (again instanceof ApiFailure && again.kind === 'signed-out') return expire(renewed);
          throw again;
        }
      }
    },

    async end() {
      const record = await exclusively(async () => {
        const stored = await deps.store.read();
        await Promise.all([deps.store.clear(), deps.cache.clear()]);
        return stored;
      });
      if (record.kind !== 'active') return;
      const { token, refreshToken } = record.session;
      const serverSide = deps.api.signOut({ token, ...(refreshToken ? { refreshToken } : {}) }).catch(() => undefined);
      await Promise.race([serverSide, new Promise((resolve) => setTimeout(resolve, SIGN_OUT_WAIT_MS))]);
    },
  };
}
