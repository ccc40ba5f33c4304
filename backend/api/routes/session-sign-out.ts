/**
 * `POST /session/sign-out`: ends the session on the server, by session id, so its access token and
 * refresh token stop working on every instance at once. A Cognito session's pool refresh token is
 * revoked at the pool too. Signing out an ended (or unknown) session is not an error.
 */
import type { Context } from 'hono';
import { SignOutRequestSchema, type SignOutResponse } from '../../../shared/api/contract.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody, bearerToken } from '../request.ts';

/** When a session found only by its access token would have ended anyway: the longest sign-in. */
const LONGEST_SIGN_IN_MS = 12 * 3600 * 1000;

export async function signOut(deps: ApiDeps, c: Context): Promise<Response> {
  const request = await jsonBody(c, SignOutRequestSchema);
  const token = bearerToken(c);
  const access = token ? await deps.sessions.check(token) : null;
  const grant = request.refreshToken ? await deps.sessions.grantOf(request.refreshToken) : null;
  const sessionId = grant?.sid ?? access?.sid;
  if (sessionId) {
    await deps.sessions.end(sessionId, grant?.expiresAt ?? new Date(Date.now() + LONGEST_SIGN_IN_MS));
    deps.logger.info('signed out', { ...(access ? { user: access.user.id } : {}), source: grant?.source ?? access?.source });
  }
  if (grant?.source === 'cognito' && grant.upstreamRefreshToken && grant.clientId && deps.cognito) {
    await deps.cognito.revoke(grant.upstreamRefreshToken, grant.clientId).catch((error: unknown) =>
      deps.logger.warn("could not revoke the user pool's refresh token; the session is ended here anyway", {
        reason: error instanceof Error ? error.message : 'unknown',
      }),
    );
  }
  const body: SignOutResponse = { ok: true };
  return c.json(body);
}
