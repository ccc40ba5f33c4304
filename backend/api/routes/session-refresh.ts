/**
 * `POST /session/refresh`: a new access token for a live session, with the person read again: from
 * the directory (by the service account) or from the user pool (its refresh token). A person who is
 * gone, disabled or out of the pool ends the session; removed groups are gone from the new token.
 */
import { createFactory } from 'hono/factory';
import type { Person } from '../../../shared/api/person.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { CognitoRefused } from '../../auth/cognito-sign-in.ts';
import type { RefreshGrant } from '../../auth/session-tokens.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { askIdentitySource, sessionBody, sessionPersonOf } from '../session-answer.ts';

const factory = createFactory();

const ENDED = 'your sign-in has ended: sign in again';

export function refreshSession(deps: ApiDeps) {
  return factory.createHandlers(jsonBody(API_ROUTES.sessionRefresh.request), async (c) => {
    const { refreshToken } = c.req.valid('json');
    const grant = await deps.sessions.grantOf(refreshToken);
    if (!grant) throw new HttpError(401, 'unauthorized', ENDED);
    const read = await readAgain(deps, grant);
    if (!read) {
      await deps.sessions.end(grant.sid, grant.expiresAt);
      deps.logger.info('session ended on refresh: the person is gone, disabled or refused', { source: grant.source });
      throw new HttpError(401, 'unauthorized', ENDED);
    }
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, read.person);
    const issued = await deps.sessions.renew(read.grant, user);
    deps.logger.info('session refreshed', { user: user.id, source: grant.source, groups: user.groups });
    return c.json(sessionBody(policy, user, grant.source, issued));
  });
}

async function readAgain(deps: ApiDeps, grant: RefreshGrant): Promise<{ person: Person; grant: RefreshGrant } | null> {
  if (grant.source === 'directory') {
    const directory = deps.directory;
    const accountName = grant.accountName;
    if (!directory?.lookup || accountName === undefined) return null;
    const lookup = directory.lookup.bind(directory);
    const person = await askIdentitySource(deps, 'refresh', 'directory', () => lookup(accountName));
    return person ? { person, grant } : null;
  }
  const cognito = deps.cognito;
  const { upstreamRefreshToken, clientId } = grant;
  if (!cognito || upstreamRefreshToken === undefined || clientId === undefined) return null;
  try {
    const signedIn = await askIdentitySource(deps, 'refresh', 'cognito', () => cognito.refresh(upstreamRefreshToken, clientId));
    // A pool that rotates refresh tokens sends a new one; keep it for the next refresh.
    return { person: signedIn.user, grant: { ...grant, upstreamRefreshToken: signedIn.upstreamRefreshToken ?? upstreamRefreshToken } };
  } catch (error) {
    if (error instanceof CognitoRefused) return null;
    throw error;
  }
}
