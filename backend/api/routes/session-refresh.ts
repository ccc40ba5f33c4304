/**
 * `POST /session/refresh`: trades a refresh token, good once, for a new access token and the next
 * refresh token of the same sign-in, with the person read again: from the directory (by the service
 * account) or from the user pool (its refresh token, and the account itself). Removed groups are gone
 * from the new token. The sign-in ends here, for every copy of it, when:
 *   - the refresh token was traded before (401 `refresh_reused`), except for the same client's twin
 *     request within the grace period (backend/auth/refresh-rotation.ts);
 *   - the directory or the pool says so (401 `session_ended`): another account under the same name, the
 *     password set again, to be changed or expired, the account locked, disabled or gone
 *     (backend/auth/session-ends.ts).
 */
import { createFactory } from 'hono/factory';
import type { Person } from '../../../shared/api/person.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { CognitoRefused } from '../../auth/cognito-sign-in.ts';
import { directoryEndOf, SESSION_END_MESSAGES, type SessionEndReason } from '../../auth/session-ends.ts';
import { RefreshRefused, type RefreshClient, type RefreshRefusal } from '../../auth/sessions.ts';
import type { RefreshGrant } from '../../auth/session-tokens.ts';
import { clientInfo } from '../client-info.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { askIdentitySource, sessionBody, sessionPersonOf } from '../session-answer.ts';

const factory = createFactory();

const ENDED = 'your sign-in has ended: sign in again';

export function refreshSession(deps: ApiDeps) {
  return factory.createHandlers(jsonBody(API_ROUTES.sessionRefresh.request), async (c) => {
    const { refreshToken } = c.req.valid('json');
    const client: RefreshClient = clientInfo(c);
    const redeemed = await deps.sessions.redeem(refreshToken, client);
    if (!redeemed.ok) throw refused(deps, redeemed.reason, redeemed.endedNow);
    const { grant } = redeemed;
    const read = await readAgain(deps, grant);
    if ('end' in read) {
      await deps.sessions.end(grant.sid, read.end);
      deps.logger.info('session ended on refresh', { source: grant.source, reason: read.end });
      throw refused(deps, read.end, false);
    }
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, read.person);
    const issued = await deps.sessions.renew(read.grant, user, client).catch((error: unknown) => {
      throw error instanceof RefreshRefused ? refused(deps, error.reason, error.endedNow) : error;
    });
    deps.logger.info('session refreshed', { user: user.id, source: grant.source, groups: user.groups });
    return c.json(sessionBody(policy, user, grant.source, issued));
  });
}

/** The 401 for a refresh that was not taken; a reuse detected now is logged (without the token). */
function refused(deps: ApiDeps, reason: RefreshRefusal, endedNow: boolean): HttpError {
  if (reason === 'refresh-reused') {
    if (endedNow) deps.logger.warn('refresh token used twice: the whole sign-in is ended');
    return new HttpError(401, 'refresh_reused', SESSION_END_MESSAGES['refresh-reused']);
  }
  if (reason === 'invalid' || reason === 'signed-out') return new HttpError(401, 'unauthorized', ENDED);
  return new HttpError(401, 'session_ended', SESSION_END_MESSAGES[reason]);
}

type ReadAgain = { person: Person; grant: RefreshGrant } | { end: SessionEndReason };

async function readAgain(deps: ApiDeps, grant: RefreshGrant): Promise<ReadAgain> {
  if (grant.source === 'directory') {
    const directory = deps.directory;
    const accountName = grant.accountName;
    if (!directory?.lookup || accountName === undefined) return { end: 'account-unusable' };
    const lookup = directory.lookup.bind(directory);
    const person = await askIdentitySource(deps, 'refresh', 'directory', () => lookup(accountName));
    if (!person) return { end: 'account-unusable' };
    const end = directoryEndOf(grant, person);
    return end ? { end } : { person, grant };
  }
  const cognito = deps.cognito;
  const { upstreamRefreshToken, clientId } = grant;
  if (!cognito || upstreamRefreshToken === undefined || clientId === undefined) return { end: 'account-unusable' };
  try {
    const signedIn = await askIdentitySource(deps, 'refresh', 'cognito', () => cognito.refresh(upstreamRefreshToken, clientId));
    if (signedIn.user.id !== grant.subject) return { end: 'person-replaced' };
    const { poolUsername } = grant;
    if (poolUsername !== undefined) {
      const end = await askIdentitySource(deps, 'refresh', 'cognito', () => cognito.accountEndOf(poolUsername, grant.subject));
      if (end) return { end };
    }
    // A pool that rotates refresh tokens sends a new one; keep it for the next refresh.
    return { person: signedIn.user, grant: { ...grant, upstreamRefreshToken: signedIn.upstreamRefreshToken ?? upstreamRefreshToken } };
  } catch (error) {
    if (error instanceof CognitoRefused) return { end: 'upstream-refused' };
    throw error;
  }
}
