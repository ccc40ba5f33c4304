/**
 * `POST /session`: sign in with user name and password against the directory. Wrong password and
 * unknown user get the same answer, and in the same time: a directory answers an unknown name faster
 * than a wrong password (Samba by about 2 ms, measured by `npm run bench -- sign-in`), so every refusal
 * is held until a fixed time after the request arrived. Repeated failures are slowed down (429), counted
 * per source address and per person, every spelling of one person being one count: the directory
 * resolves the typed name to the account's id first, where it can (backend/auth/sign-in-limiter.ts).
 * The name is logged only as a keyed hash (people type passwords into it), or as the person's id once
 * signed in.
 */
import type { Context } from 'hono';
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { DirectoryUnavailable, type Directory } from '../../auth/directory.ts';
import type { FailureKey, LimiterVerdict } from '../../auth/sign-in-limiter.ts';
import { clientInfo } from '../client-info.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody, HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { askIdentitySource, sessionBody, sessionPersonOf } from '../session-answer.ts';

const factory = createFactory();

export function createSession(deps: ApiDeps) {
  const directory = deps.directory;
  if (!directory) {
    return factory.createHandlers(() => {
      throw new HttpError(404, 'not_found', 'this deployment has no directory sign-in: sign in with single sign-on (Cognito)');
    });
  }
  return factory.createHandlers(jsonBody(API_ROUTES.session.request), async (c) => {
    const started = Date.now();
    const request = c.req.valid('json');
    const address = clientInfo(c).sourceIp;
    const addressKey: FailureKey[] = address ? [{ kind: 'address', hash: await deps.sessions.hashName(`address:${address}`) }] : [];
    // The address first: an address that is slowed down does not get to make the directory resolve names.
    const addressVerdict = await deps.signInLimiter.check(addressKey);
    if (!addressVerdict.allowed) return slowedDown(c, deps, addressVerdict);
    const person = await personKeyOf(deps, directory, request.username);
    const personVerdict = await deps.signInLimiter.check([person.key]);
    if (!personVerdict.allowed) return slowedDown(c, deps, personVerdict, person.logName);
    const keys = [...addressKey, person.key];
    const signedIn = await askIdentitySource(deps, 'sign-in', 'directory', () => directory.authenticate(request.username, request.password));
    if (!signedIn) {
      await deps.signInLimiter.failed(keys);
      deps.logger.info('sign-in refused', { name: person.logName });
      deps.metrics.add('signInFailures', 1, { Method: 'directory' });
      await holdUntil(started + deps.refusalMs);
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    await deps.signInLimiter.succeeded({ kind: 'person', hash: await deps.sessions.hashName(`id:${signedIn.directoryId}`) });
    if (!person.resolved) await deps.signInLimiter.succeeded(person.key);
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, signedIn);
    const issued = await deps.sessions.begin({
      user,
      source: 'directory',
      ...(directory.lookup
        ? {
            refresh: {
              subject: signedIn.directoryId,
              accountName: signedIn.accountName,
              ...(signedIn.standing.passwordVersion !== undefined ? { passwordVersion: signedIn.standing.passwordVersion } : {}),
            },
          }
        : {}),
    });
    const body = sessionBody(policy, user, 'directory', issued);
    deps.logger.info('signed in', { user: user.id, source: 'directory', groups: user.groups, entitlements: body.entitlements.length });
    return c.json(body);
  });
}

/** The 429 of an attempt during a wait; the name only as its keyed hash. */
function slowedDown(c: Context, deps: ApiDeps, verdict: Extract<LimiterVerdict, { allowed: false }>, logName?: string): Response {
  const whose = verdict.kind === 'person' ? 'for this user name' : 'from this address';
  deps.metrics.add('signInsSlowedDown', 1, { CountedBy: verdict.kind });
  deps.logger.warn('sign-in slowed down', {
    ...(logName ? { name: logName } : {}),
    counted: verdict.kind,
    retryAfterSeconds: verdict.retryAfterSeconds,
  });
  return c.json(errorBody('too_many_attempts', `too many failed sign-ins ${whose}: try again in ${verdict.retryAfterSeconds} s`), 429, {
    'retry-after': String(verdict.retryAfterSeconds),
  });
}

/**
 * Whose failures an attempt counts as: the account the directory resolves the typed name to, by its id;
 * the name as typed, normalised, when the directory cannot resolve it (an unknown name, no service
 * account, or the directory not answering: the sign-in itself then decides).
 */
async function personKeyOf(deps: ApiDeps, directory: Directory, username: string): Promise<{ key: FailureKey; resolved: boolean; logName: string }> {
  const logName = await deps.sessions.hashName(failureKeyOf(username));
  let id: string | null = null;
  if (directory.resolve) {
    const resolve = directory.resolve.bind(directory);
    id = await resolve(username).catch((error: unknown) => {
      if (!(error instanceof DirectoryUnavailable)) throw error;
      deps.logger.warn('could not resolve a sign-in name to a person; counting failures by the name as typed', { reason: error.message });
      return null;
    });
  }
  const hash = await deps.sessions.hashName(id ? `id:${id}` : `name:${failureKeyOf(username)}`);
  return { key: { kind: 'person', hash }, resolved: id !== null, logName };
}

/** "alice", "CORP\alice", "alice@corp.example.com" and "Alice" count as one name. */
function failureKeyOf(username: string): string {
  const trimmed = username.trim();
  const afterBackslash = trimmed.slice(trimmed.lastIndexOf('\\') + 1);
  const at = afterBackslash.indexOf('@');
  return (at >= 0 ? afterBackslash.slice(0, at) : afterBackslash).toLowerCase();
}

function holdUntil(instant: number): Promise<void> {
  const wait = instant - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}
