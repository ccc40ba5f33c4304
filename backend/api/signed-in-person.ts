/** What every route of a signed-in person needs: who they are (a live session), and what they may open. */
import type { Context } from 'hono';
import type { Entitlement, SessionUser } from '../../../shared/api/contract.ts';
import { resolveEntitlements } from '../../../shared/entitlements.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { bearerToken } from '../request.ts';

/** What the person may open now: assigned to one of their groups, and its role in place. */
export async function entitlementsOf(deps: ApiDeps, user: SessionUser): Promise<Entitlement[]> {
  const published = await deps.policy.current();
  return resolveEntitlements(published.policy, user.groups, published.available);
}

/** The person of the request's access token; 401 when it is missing, forged, expired or its session was ended. */
export async function signedInUser(deps: ApiDeps, c: Context): Promise<SessionUser> {
  const token = bearerToken(c);
  if (!token) throw new HttpError(401, 'unauthorized', 'sign in first: the Authorization: Bearer header is missing');
  const claims = await deps.sessions.check(token);
  if (!claims) throw new HttpError(401, 'unauthorized', 'your session has expired or is not valid: sign in again');
  return claims.user;
}
