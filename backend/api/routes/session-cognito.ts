/**
 * `POST /session/cognito`: sign in with the authorization code the extension or the web page got from the
 * user pool's hosted UI. The code is redeemed with the PKCE verifier at the pool's token endpoint (the one
 * configured here, never one named by the request) and the ID token verified (cognito-sign-in.ts).
 */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { CognitoRefused } from '../../auth/cognito-sign-in.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { askIdentitySource, sessionBody, sessionPersonOf } from '../session-answer.ts';

const factory = createFactory();

/** What `identity.getRedirectURL()` gives in Chrome and Edge, and in Firefox. */
const EXTENSION_REDIRECT = /^https:\/\/([a-p]{32}\.chromiumapp\.org|[0-9a-f]{40}\.extensions\.allizom\.org)\/[\w./-]*$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The web page's redirect URI: its own address, the root of the origin this request came to (the page
 * calls from its own origin), over https, or http on loopback (`npm start`). Any other page is refused, so
 * a code the hosted UI sent elsewhere is not redeemed here.
 */
function isWebPageAddress(redirectUri: string, requestUrl: string): boolean {
  const page = new URL('/', requestUrl);
  const secure = page.protocol === 'https:' || (page.protocol === 'http:' && LOOPBACK_HOSTS.has(page.hostname));
  return secure && redirectUri === page.href;
}

export function createCognitoSession(deps: ApiDeps) {
  const cognito = deps.cognito;
  if (!cognito) {
    return factory.createHandlers(() => {
      throw new HttpError(404, 'not_found', 'this deployment has no Cognito sign-in: sign in with your directory user name');
    });
  }
  return factory.createHandlers(jsonBody(API_ROUTES.sessionCognito.request), async (c) => {
    const request = c.req.valid('json');
    if (!cognito.acceptsClient(request.clientId)) throw new HttpError(400, 'bad_request', 'clientId is not an app client this deployment accepts');
    if (!EXTENSION_REDIRECT.test(request.redirectUri) && !isWebPageAddress(request.redirectUri, c.req.url)) {
      throw new HttpError(400, 'bad_request', "redirectUri must be the extension's identity.getRedirectURL() or the web page's address");
    }
    let signedIn;
    try {
      signedIn = await askIdentitySource(deps, 'sign-in', 'cognito', () => cognito.redeem(request));
    } catch (error) {
      if (!(error instanceof CognitoRefused)) throw error;
      deps.logger.info('sign-in refused', { source: 'cognito', reason: error.message });
      deps.metrics.add('signInFailures', 1, { Method: 'cognito' });
      throw new HttpError(401, 'invalid_credentials', 'the sign-in was not accepted; sign in again');
    }
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, signedIn.user);
    const issued = await deps.sessions.begin({
      user,
      source: 'cognito',
      ...(signedIn.upstreamRefreshToken
        ? {
            refresh: {
              subject: signedIn.user.id,
              upstreamRefreshToken: signedIn.upstreamRefreshToken,
              clientId: request.clientId,
              ...(signedIn.username !== undefined ? { poolUsername: signedIn.username } : {}),
            },
          }
        : {}),
    });
    const body = sessionBody(policy, user, 'cognito', issued);
    deps.logger.info('signed in', { user: user.id, source: 'cognito', groups: user.groups, entitlements: body.entitlements.length });
    return c.json(body);
  });
}
