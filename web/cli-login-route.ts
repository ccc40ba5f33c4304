/**
 * The CLI sign-in route's query, checked before anything else happens on the page: `switchyard login`
 * opens `#/cli-login?redirect_uri=…&state=…&code_challenge=…&code_challenge_method=S256`, but anyone can
 * send a person such a link. The contract's parseCliLoginPageParams (shared/api/cli-login.ts) decides what
 * is accepted; this says why a query is not, parameter by parameter, for the page that refuses it, without
 * quoting what the parameter held.
 */
import { isLoopbackRedirect, parseCliLoginPageParams, type CliLoginPageParams } from '../shared/api/cli-login.ts';

export type CliLoginRouteCheck = { ok: true; request: CliLoginPageParams } | { ok: false; problem: string };

const PARAMETERS = ['redirect_uri', 'state', 'code_challenge', 'code_challenge_method'];
const SHOWABLE_NAME = /^[A-Za-z][\w-]{0,31}$/;

function whyNot(query: string): string | undefined {
  const params = new URLSearchParams(query);
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!PARAMETERS.includes(name)) {
      return SHOWABLE_NAME.test(name)
        ? `the address has a parameter "${name}" a CLI sign-in does not use`
        : 'the address has a parameter a CLI sign-in does not use';
    }
    if (seen.has(name)) return `the address names ${name} more than once`;
    seen.add(name);
  }
  const redirect = params.get('redirect_uri');
  if (!redirect) return 'the address names no redirect_uri';
  if (!isLoopbackRedirect(redirect)) {
    return 'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer';
  }
  if (params.get('code_challenge_method') !== 'S256') return 'code_challenge_method must be S256';
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) return 'code_challenge must be a base64url SHA-256 (43 characters)';
  if (!/^[\w-]{16,128}$/.test(params.get('state') ?? '')) return 'state must be 16 to 128 letters, digits, "-" or "_"';
  return undefined;
}

export function parseCliLoginRoute(query: string): CliLoginRouteCheck {
  const problem = whyNot(query);
  const request = problem ? undefined : parseCliLoginPageParams(query);
  if (request) return { ok: true, request };
  return { ok: false, problem: problem ?? 'the address is not a CLI sign-in this page accepts' };
}
