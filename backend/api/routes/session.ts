/** `POST /session`: sign in with the directory; answers a session token and the person's entitlements. */
import type { Context } from 'hono';
import { SessionRequestSchema, type SessionResponse, type SessionUser } from '../../../shared/api/contract.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { entitlementsOf } from './signed-in.ts';

export async function createSession(deps: ApiDeps, c: Context): Promise<Response> {
  const request = await jsonBody(c, SessionRequestSchema);
  const person = await deps.directory.authenticate(request.username, request.password);
  if (!person) {
    deps.logger.info('sign-in refused', { username: request.username });
    throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
  }
  const user: SessionUser = { id: person.id, displayName: person.displayName, groups: person.groups };
  const { token, expiresAt } = await deps.sessionTokens.issue(user);
  const entitlements = await entitlementsOf(deps, user);
  deps.logger.info('signed in', { user: user.id, groups: user.groups, entitlements: entitlements.length });
  const body: SessionResponse = { token, expiresAt: expiresAt.toISOString(), user, entitlements };
  return c.json(body);
}
