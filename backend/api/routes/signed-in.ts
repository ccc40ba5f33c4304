/** What every route of a signed-in person needs: who they are, and what they may open. */
import type { Context } from 'hono';
import type { SessionUser } from '../../../shared/api/contract.ts';
import { resolveEntitlements } from '../../../shared/entitlements.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { bearerToken } from '../request.ts';

/** What the person may open now: assigned to one of their groups, and its role in place. */
export async function entitlementsOf(deps: ApiDeps, user: SessionUser) {
  const published = await deps.policy.current();
  return resolveEntitlements(published.policy, user.groups, published.available);
}

export async function signedInUser(deps: ApiDeps, c: Context): Promise<SessionUser> {
  const token = bearerToken(c);
  if (!token) throw new HttpError(401, 'unauthorized', 'sign in first: the Authorization: Bearer header is missing');
  const user = await deps.sessionTokens.verify(token);
  if (!user) throw new HttpError(401, 'unauthorized', 'your session has expired or is not valid: sign in again');
  return user;
}
