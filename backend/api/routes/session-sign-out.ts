/**
 * `POST /session/sign-out`: ends the sign-in on the server, by session id, so its access tokens and
 * every refresh token of it stop working on every instance at once. A Cognito session's pool refresh
 * token is revoked at the pool too. Signing out an ended (or unknown) session is not an error.
 */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { SignOutResponse } from '../../../shared/api/session.ts';
import { errorText } from '../../../shared/error-text.ts';
import type { ApiDeps } from '../deps.ts';
import { bearerToken, jsonBody } from '../request.ts';

const factory = createFactory();

export function signOut(deps: ApiDeps) {
  return factory.createHandlers(jsonBody(API_ROUTES.sessionSignOut.request), async (c) => {
    const request = c.req.valid('json');
    const token = bearerToken(c);
    const access = token ? await deps.sessions.check(token) : null;
    const grant = request.refreshToken ? await deps.sessions.grantOf(request.refreshToken) : null;
    const sessionId = grant?.sid ?? access?.sid;
    if (sessionId) {
      await deps.sessions.end(sessionId, 'signed-out');
      deps.logger.info('signed out', { ...(access ? { user: access.user.id } : {}), source: grant?.source ?? access?.source });
    }
    if (grant?.source === 'cognito' && grant.upstreamRefreshToken && grant.clientId && deps.cognito) {
      await deps.cognito
        .revoke(grant.upstreamRefreshToken, grant.clientId)
        .catch((error: unknown) =>
          deps.logger.warn("could not revoke the user pool's refresh token; the session is ended here anyway", { reason: errorText(error) }),
        );
    }
    const body: SignOutResponse = { ok: true };
    return c.json(body);
  });
}
