/**
 * `POST /session/cognito`: sign in with the authorization code the extension got from the user pool's
 * hosted UI. The code is redeemed with the PKCE verifier at the pool's token endpoint (the one
 * configured here, never one named by the request) and the ID token verified (cognito-sign-in.ts).
 */
import type { Context } from 'hono';
import { CognitoSessionRequestSchema } from '../../../shared/api/contract.ts';
import { CognitoRefused } from '../../auth/cognito-sign-in.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { askIdentitySource, sessionBody, sessionUserOf } from './session-answer.ts';

/** What `identity.getRedirectURL()` gives in Chrome and Edge, and in Firefox. */
const EXTENSION_REDIRECT = /^https:\/\/([a-p]{32}\.chromiumapp\.org|[0-9a-f]{40}\.extensions\.allizom\.org)\/[\w./-]*$/;

export async function createCognitoSession(deps: ApiDeps, c: Context): Promise<Response> {
  const cognito = deps.cognito;
  if (!cognito) throw new HttpError(404, 'not_found', 'this deployment has no Cognito sign-in: sign in with your directory user name');
  const request = await jsonBody(c, CognitoSessionRequestSchema);
  if (!cognito.acceptsClient(request.clientId)) throw new HttpError(400, 'bad_request', 'clientId is not an app client this deployment accepts');
  if (!EXTENSION_REDIRECT.test(request.redirectUri)) {
    throw new HttpError(400, 'bad_request', "redirectUri must be the extension's identity.getRedirectURL()");
  }
  let signedIn;
  try {
    signedIn = await askIdentitySource(deps, 'sign-in', 'cognito', () => cognito.redeem(request));
  } catch (error) {
    if (!(error instanceof CognitoRefused)) throw error;
    deps.logger.info('sign-in refused', { source: 'cognito', reason: error.message });
    throw new HttpError(401, 'invalid_credentials', 'the sign-in was not accepted; sign in again');
  }
  const policy = await deps.policy.current();
  const user = sessionUserOf(policy, signedIn.user);
  const issued = await deps.sessions.begin({
    user,
    source: 'cognito',
    ...(signedIn.upstreamRefreshToken ? { refresh: { upstreamRefreshToken: signedIn.upstreamRefreshToken, clientId: request.clientId } } : {}),
  });
  const body = sessionBody(policy, user, 'cognito', issued);
  deps.logger.info('signed in', { user: user.id, source: 'cognito', groups: user.groups, entitlements: body.entitlements.length });
  return c.json(body);
}
