/**
 * The middleware of every route for a signed-in person: the person of the request's access token, as
 * `c.var.person`; a 401 when the token is missing, forged, expired or its session was ended.
 */
import { createMiddleware } from 'hono/factory';
import type { Person } from '../../shared/api/person.ts';
import type { AccessClaims } from '../auth/session-tokens.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { bearerToken } from './request.ts';

export interface SignedIn {
  /** `session`: the access token's claims (how the person signed in, the session id). */
  Variables: { person: Person; session: AccessClaims };
}

export function signedInPerson(deps: Pick<ApiDeps, 'sessions'>) {
  return createMiddleware<SignedIn>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw new HttpError(401, 'unauthorized', 'sign in first: the Authorization: Bearer header is missing');
    const claims = await deps.sessions.check(token);
    if (!claims) throw new HttpError(401, 'unauthorized', 'your session has expired or is not valid: sign in again');
    c.set('person', claims.user);
    c.set('session', claims);
    await next();
  });
}
