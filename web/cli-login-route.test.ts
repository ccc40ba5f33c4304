import { describe, expect, it } from 'vitest';
import { cliLoginPageUrl } from '../shared/api/cli-login.ts';
import { parseCliLoginRoute } from './cli-login-route.ts';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const STATE = 'af0ifjsldkj-AbC_123';
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const good = { redirect_uri: 'http://127.0.0.1:49152/callback', state: STATE, code_challenge: CHALLENGE, code_challenge_method: 'S256' };

describe('parseCliLoginRoute', () => {
  it('accepts what switchyard login opens, on 127.0.0.1 and on [::1]', () => {
    for (const redirectUri of ['http://127.0.0.1:49152/callback', 'http://[::1]:49152/callback']) {
      const url = cliLoginPageUrl('https://api.example', { redirectUri, state: STATE, codeChallenge: CHALLENGE });
      expect(parseCliLoginRoute(url.slice(url.indexOf('?') + 1))).toEqual({
        ok: true,
        request: { redirectUri, state: STATE, codeChallenge: CHALLENGE },
      });
    }
  });

  it.each([
    [
      'https://evil.example/callback',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'http://localhost:49152/callback',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'http://127.0.0.1/callback',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'http://127.0.0.1:49152@evil.example/callback',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'http://127.1:49152/callback',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'http://127.0.0.1:49152/callback?next=https://evil.example',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
    [
      'javascript:alert(1)',
      'redirect_uri is not http://127.0.0.1:<port>/… or http://[::1]:<port>/… on this computer, so the sign-in would leave this computer',
    ],
  ])('refuses the redirect %s', (redirect, problem) => {
    expect(parseCliLoginRoute(query({ ...good, redirect_uri: redirect }))).toEqual({ ok: false, problem });
  });

  it.each([
    [query({ state: STATE, code_challenge: CHALLENGE, code_challenge_method: 'S256' }), 'the address names no redirect_uri'],
    [query({ ...good, code_challenge_method: 'plain' }), 'code_challenge_method must be S256'],
    [query({ ...good, code_challenge: 'short' }), 'code_challenge must be a base64url SHA-256 (43 characters)'],
    [query({ ...good, state: 'x' }), 'state must be 16 to 128 letters, digits, "-" or "_"'],
    [query({ ...good, state: `${STATE}<script>` }), 'state must be 16 to 128 letters, digits, "-" or "_"'],
    [`${query(good)}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/x')}`, 'the address names redirect_uri more than once'],
    [`${query(good)}&scope=admin`, 'the address has a parameter "scope" a CLI sign-in does not use'],
  ])('refuses %s', (raw, problem) => {
    expect(parseCliLoginRoute(raw)).toEqual({ ok: false, problem });
  });
});
