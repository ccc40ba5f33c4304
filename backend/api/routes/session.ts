/**
 * `POST /session`: sign in with user name and password against the directory. Wrong password and
 * unknown user get the same answer, and in the same time: a directory answers an unknown name faster
 * than a wrong password (Samba by about 2 ms, measured by `npm run bench -- sign-in`), so every refusal
 * is held until a fixed time after the request arrived. Repeated failures for one name are slowed down
 * (429); the name is logged only as a keyed hash (people type passwords into it), or as the person's
 * id once signed in.
 */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
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
    const name = await deps.sessions.hashName(failureKeyOf(request.username));
    const verdict = deps.signInLimiter.check(name);
    if (!verdict.allowed) {
      deps.logger.warn('sign-in slowed down', { name, retryAfterSeconds: verdict.retryAfterSeconds });
      const message = `too many failed sign-ins for this user name: try again in ${verdict.retryAfterSeconds} s`;
      return c.json(errorBody('too_many_attempts', message), 429, { 'retry-after': String(verdict.retryAfterSeconds) });
    }
    const person = await askIdentitySource(deps, 'sign-in', 'directory', () => directory.authenticate(request.username, request.password));
    if (!person) {
      deps.signInLimiter.failed(name);
      deps.logger.info('sign-in refused', { name });
      await holdUntil(started + deps.refusalMs);
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    deps.signInLimiter.succeeded(name);
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, person);
    const issued = await deps.sessions.begin({
      user,
      source: 'directory',
      ...(directory.lookup ? { refresh: { accountName: person.accountName } } : {}),
    });
    const body = sessionBody(policy, user, 'directory', issued);
    deps.logger.info('signed in', { user: user.id, source: 'directory', groups: user.groups, entitlements: body.entitlements.length });
    return c.json(body);
  });
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
