/**
 * The CLI's sign-in handoff (RFC 8252, native apps: a loopback redirect with PKCE, RFC 7636). The person
 * signs in on the web page, which the API serves at its own origin; `switchyard login` opens that page at
 * `cliLoginPageUrl(...)` with a loopback `redirect_uri`, a `state` and an S256 `code_challenge`. The page
 * asks `POST /cli/authorize` for a one-time code bound to the challenge, the redirect and the person, and
 * sends the browser to `redirect_uri?code=...&state=...`. The CLI checks `state` and redeems the code with
 * its verifier at `POST /session/cli` for a session of its own. docs/cli.md describes it in prose.
 *
 * Cognito deployments use the same handoff: a user pool's app client accepts only callback URLs listed
 * exactly, so it cannot send the browser to a loopback port chosen at random.
 */
import { z } from 'zod';
import { SessionResponseSchema } from './session.ts';

/** How long a code can be redeemed after it was issued. */
export const CLI_LOGIN_CODE_SECONDS = 60;

/** Where the web page's CLI sign-in lives, after the API's origin. */
export const CLI_LOGIN_PAGE_ROUTE = '#/cli-login';

/**
 * True for `http://127.0.0.1:<port>/<path>` and `http://[::1]:<port>/<path>` written exactly as the URL
 * parser writes them: an explicit port, no user name or password, no query, no fragment. Nothing else:
 * not `localhost` (which a hosts file can point anywhere), not https, not another spelling of the address.
 */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    url.href === uri &&
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
    url.port !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === ''
  );
}

const LOOPBACK_REDIRECT = z
  .string()
  .max(256, 'redirectUri is too long')
  .refine(isLoopbackRedirect, 'redirectUri must be http://127.0.0.1:<port>/<path> or http://[::1]:<port>/<path>, with nothing else');

/** A base64url SHA-256: 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** What POST /cli/authorize issues: 32 random bytes, base64url. */
const LOGIN_CODE = /^[A-Za-z0-9_-]{43}$/;

/** `POST /cli/authorize` (Bearer: the person signed in on the web page). */
export const CliAuthorizeRequestSchema = z.strictObject({
  /** The CLI's loopback listener, exactly as the CLI will send it to POST /session/cli. */
  redirectUri: LOOPBACK_REDIRECT,
  codeChallenge: z.string().regex(S256_CHALLENGE, 'codeChallenge must be a base64url SHA-256 of the code verifier (43 characters)'),
  codeChallengeMethod: z.literal('S256', 'codeChallengeMethod must be S256'),
  /**
   * The web page's own refresh token, of the same session as the Bearer token: the CLI's session is renewed
   * the way the page's is (the directory read again, or the user pool's refresh token). Without it the CLI's
   * session ends with its first access token.
   */
  refreshToken: z.string().min(1).max(8192, 'refreshToken is too long').optional(),
});
export type CliAuthorizeRequest = z.infer<typeof CliAuthorizeRequestSchema>;

export const CliAuthorizeResponseSchema = z.object({
  /** Single use, redeemable until `expiresAt` (CLI_LOGIN_CODE_SECONDS), and only with the CLI's verifier. */
  code: z.string(),
  expiresAt: z.string(),
});
export type CliAuthorizeResponse = z.infer<typeof CliAuthorizeResponseSchema>;

/** `POST /session/cli`: the code, the verifier of its challenge, and the same redirectUri. */
export const CliSessionRequestSchema = z.strictObject({
  code: z.string().regex(LOGIN_CODE, 'code must be the code POST /cli/authorize issued'),
  codeVerifier: z.string().regex(CODE_VERIFIER, 'codeVerifier must be a PKCE code verifier (43 to 128 characters, RFC 7636)'),
  redirectUri: LOOPBACK_REDIRECT,
});
export type CliSessionRequest = z.infer<typeof CliSessionRequestSchema>;

/** A new session of its own for the CLI: the same answer as every sign-in. */
export const CliSessionResponseSchema = SessionResponseSchema;

/** The query parameters of the web page's CLI sign-in route, as OAuth names them. */
export interface CliLoginPageParams {
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

/** `<api>/#/cli-login?redirect_uri=...&state=...&code_challenge=...&code_challenge_method=S256`. */
export function cliLoginPageUrl(apiUrl: string, params: CliLoginPageParams): string {
  const query = new URLSearchParams({
    redirect_uri: params.redirectUri,
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${apiUrl.replace(/\/+$/, '')}/${CLI_LOGIN_PAGE_ROUTE}?${query.toString()}`;
}

/** The page's reading of its route's query (after `#/cli-login?`); undefined when something is missing or not loopback. */
export function parseCliLoginPageParams(query: string): CliLoginPageParams | undefined {
  const params = new URLSearchParams(query);
  const redirectUri = params.get('redirect_uri') ?? '';
  const state = params.get('state') ?? '';
  const codeChallenge = params.get('code_challenge') ?? '';
  if (params.get('code_challenge_method') !== 'S256') return undefined;
  if (!isLoopbackRedirect(redirectUri) || !S256_CHALLENGE.test(codeChallenge) || !/^[\w-]{16,128}$/.test(state)) return undefined;
  return { redirectUri, state, codeChallenge };
}

/** Where the page sends the browser once it has a code: the loopback listener, with the code and the CLI's state. */
export function cliRedirectWithCode(redirectUri: string, code: string, state: string): string {
  if (!isLoopbackRedirect(redirectUri)) throw new Error('not a loopback redirect');
  return `${redirectUri}?${new URLSearchParams({ code, state }).toString()}`;
}
