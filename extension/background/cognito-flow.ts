/**
 * The browser's half of signing in with a Cognito user pool: the OAuth 2.0 authorization code flow
 * with PKCE (RFC 7636) through `identity.launchWebAuthFlow`, against the pool's hosted UI (which may
 * itself hand over to the company's SAML or OIDC provider, ADFS or Entra ID). The window ends on the
 * extension's redirect URL (`identity.getRedirectURL()`) with a one-time code; the backend redeems it
 * with the verifier that never left the extension. The web page runs the same two halves around a
 * full-page redirect to the hosted UI and back (web/single-sign-on.ts).
 */
import type { CognitoPublicSettings } from '../../shared/api/auth-config.ts';
import type { CognitoSessionRequest } from '../../shared/api/session.ts';
import { ApiFailure } from './api-failure.ts';

/** The browser's identity API, as the flow needs it (tests pass their own). */
export interface WebAuthFlow {
  /** Opens the page and resolves with the URL it redirected to (identity.launchWebAuthFlow, interactive). */
  launch(url: string): Promise<string>;
  /** identity.getRedirectURL(): https://<extension id>.chromiumapp.org/ (Firefox: ...extensions.allizom.org/). */
  redirectUrl(): string;
}

/** What a sign-in started and must check on the way back: the state sent, the verifier kept, the redirect and client used. */
export interface PendingCognitoSignIn {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
}

/** The hosted UI's authorize URL for a new sign-in, and what to keep until it comes back. */
export async function startCognitoFlow(
  settings: CognitoPublicSettings,
  redirectUri: string,
): Promise<{ authorizeUrl: string; pending: PendingCognitoSignIn }> {
  const codeVerifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))));
  const authorize = new URL(`${settings.domain.replace(/\/+$/, '')}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri,
    scope: settings.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return { authorizeUrl: authorize.toString(), pending: { state, codeVerifier, redirectUri, clientId: settings.clientId } };
}

/** The code the hosted UI redirected to `landed` with, for POST /session/cognito; throws ApiFailure when it refused or answered another sign-in. */
export function finishCognitoFlow(landed: string, pending: PendingCognitoSignIn): CognitoSessionRequest {
  const answer = new URL(landed);
  const error = answer.searchParams.get('error');
  if (error) {
    const name = /^[a-z_]{1,40}$/.test(error) ? ` (${error})` : '';
    throw new ApiFailure('invalid-credentials', `Single sign-on refused the sign-in${name}.`);
  }
  if (answer.searchParams.get('state') !== pending.state)
    throw new ApiFailure('bad-request', 'Single sign-on answered for another sign-in. Please try again.');
  const code = answer.searchParams.get('code');
  if (!code) throw new ApiFailure('server', 'Single sign-on answered without a code. Please try again.');
  return { code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri, clientId: pending.clientId };
}

export async function runCognitoFlow(settings: CognitoPublicSettings, flow: WebAuthFlow): Promise<CognitoSessionRequest> {
  const { authorizeUrl, pending } = await startCognitoFlow(settings, flow.redirectUrl());
  let landed: string;
  try {
    landed = await flow.launch(authorizeUrl);
  } catch {
    // Closed by the person, or the page could not load: the browser's message says no more than that.
    throw new ApiFailure('invalid-credentials', 'Single sign-on was cancelled or could not be completed. Please try again.');
  }
  return finishCognitoFlow(landed, pending);
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
