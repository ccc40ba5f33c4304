/**
 * The CLI's session: the answer of `POST /session/cli` kept in ~/.switchyard/session.json (0600, see
 * home.ts), and renewed with its refresh token when the access token is about to end. A refresh token is
 * spent by a refresh (the API may rotate it), so a refresh runs under a lock file: a second process that
 * needs one waits, reads the session the first one wrote, and uses it. A lock left by a process that died
 * is taken over after STALE_LOCK_MS.
 */
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import type { SessionResponse } from '../../../shared/api/session.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { ApiRefused, callApi } from './api-client.ts';
import { cliPaths, readJsonFile, writePrivateFile, type CliEnvironment } from './home.ts';

export interface StoredSession {
  api: string;
  token: string;
  expiresAt: string;
  refreshToken?: string;
  refreshExpiresAt?: string;
  user: { id: string; displayName: string };
  source: SessionResponse['source'];
}

/** There is no usable session: the person has to run `switchyard login`. */
export class NotSignedIn extends Error {
  override readonly name = 'NotSignedIn';
}

/** An access token is renewed when it has less than this left. */
const RENEW_BEFORE_MS = 60_000;
const LOCK_WAIT_MS = 20_000;
const STALE_LOCK_MS = 30_000;

export function storedSessionOf(api: string, answer: SessionResponse): StoredSession {
  return {
    api,
    token: answer.token,
    expiresAt: answer.expiresAt,
    ...(answer.refreshToken ? { refreshToken: answer.refreshToken } : {}),
    ...(answer.refreshExpiresAt ? { refreshExpiresAt: answer.refreshExpiresAt } : {}),
    user: { id: answer.user.id, displayName: answer.user.displayName },
    source: answer.source,
  };
}

export function readSession(env: CliEnvironment): StoredSession | undefined {
  const stored = readJsonFile(cliPaths(env).session) as Partial<StoredSession> | undefined;
  if (!stored || typeof stored.api !== 'string' || typeof stored.token !== 'string' || typeof stored.expiresAt !== 'string') return undefined;
  if (typeof stored.user?.id !== 'string') return undefined;
  return stored as StoredSession;
}

export function saveSession(env: CliEnvironment, session: StoredSession): void {
  writePrivateFile(cliPaths(env).session, `${JSON.stringify(session, null, 2)}\n`);
}

/** Ends the session on the server, as a sign-out does (its access and refresh tokens stop working everywhere). */
export async function endOnServer(session: StoredSession): Promise<void> {
  await callApi(session.api, API_ROUTES.sessionSignOut, {
    token: session.token,
    body: session.refreshToken ? { refreshToken: session.refreshToken } : {},
  });
}

export function removeSession(env: CliEnvironment): void {
  rmSync(cliPaths(env).session, { force: true });
}

/** A live access token for `api`, renewed first when it is about to end; NotSignedIn when there is none. */
export async function accessToken(env: CliEnvironment, api: string, now: () => number = Date.now): Promise<string> {
  const session = sessionFor(env, api);
  if (Date.parse(session.expiresAt) - now() > RENEW_BEFORE_MS) return session.token;
  return withLock(env, async () => {
    // Another process may have renewed it while this one waited for the lock.
    const current = sessionFor(env, api);
    if (Date.parse(current.expiresAt) - now() > RENEW_BEFORE_MS) return current.token;
    if (!current.refreshToken || (current.refreshExpiresAt && Date.parse(current.refreshExpiresAt) <= now())) {
      throw new NotSignedIn('your sign-in has ended: run switchyard login');
    }
    let answer: SessionResponse;
    try {
      answer = await callApi(api, API_ROUTES.sessionRefresh, { body: { refreshToken: current.refreshToken } });
    } catch (error) {
      if (error instanceof ApiRefused && error.status === 401) {
        removeSession(env);
        throw new NotSignedIn(`${error.message.replace(/: sign in again$/, '')}: run switchyard login`);
      }
      throw error;
    }
    saveSession(env, storedSessionOf(api, answer));
    return answer.token;
  });
}

function sessionFor(env: CliEnvironment, api: string): StoredSession {
  const session = readSession(env);
  if (!session) throw new NotSignedIn('you are not signed in: run switchyard login');
  if (session.api !== api) throw new NotSignedIn(`you are signed in to ${session.api}, not ${api}: run switchyard login --api ${api}`);
  return session;
}

async function withLock<T>(env: CliEnvironment, work: () => Promise<T>): Promise<T> {
  const { sessionLock } = cliPaths(env);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(sessionLock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAge(sessionLock) > STALE_LOCK_MS) rmSync(sessionLock, { force: true });
      else if (Date.now() > deadline) throw new Error(`another switchyard process holds ${sessionLock}; if none runs, delete it`);
      else await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(sessionLock, { force: true });
  }
}

function lockAge(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
