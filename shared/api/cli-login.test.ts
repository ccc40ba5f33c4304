import { describe, expect, it } from 'vitest';
import { cliLoginPageUrl, cliRedirectWithCode, isLoopbackRedirect, parseCliLoginPageParams } from './cli-login.ts';

describe('the loopback redirect', () => {
  it.each(['http://127.0.0.1:49152/callback', 'http://127.0.0.1:8080/', 'http://[::1]:49152/callback'])('accepts %s', (uri) => {
    expect(isLoopbackRedirect(uri)).toBe(true);
  });

  it.each([
    'http://localhost:49152/callback',
    'https://127.0.0.1:49152/callback',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:49152',
    'http://127.1:49152/callback',
    'http://0x7f000001:49152/callback',
    'http://127.0.0.2:49152/callback',
    'http://evil.example.com:49152/callback',
    'http://127.0.0.1.evil.example.com:49152/callback',
    'http://user@127.0.0.1:49152/callback',
    'http://127.0.0.1:49152@evil.example.com/callback',
    'http://127.0.0.1:49152/callback?next=https://evil.example.com',
    'http://127.0.0.1:49152/callback#x',
    'http://[::ffff:127.0.0.1]:49152/callback',
    'HTTP://127.0.0.1:49152/callback',
    ' http://127.0.0.1:49152/callback',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (uri) => {
    expect(isLoopbackRedirect(uri)).toBe(false);
  });
});

describe("the web page's CLI sign-in URL", () => {
  it('carries the redirect, the state and the challenge, and reads back', () => {
    const params = { redirectUri: 'http://127.0.0.1:49152/callback', state: 's'.repeat(32), codeChallenge: 'c'.repeat(43) };
    const url = cliLoginPageUrl('http://127.0.0.1:8787/', params);
    expect(url).toBe(
      'http://127.0.0.1:8787/#/cli-login?redirect_uri=http%3A%2F%2F127.0.0.1%3A49152%2Fcallback&state=ssssssssssssssssssssssssssssssss&code_challenge=ccccccccccccccccccccccccccccccccccccccccccc&code_challenge_method=S256',
    );
    expect(parseCliLoginPageParams(url.slice(url.indexOf('?') + 1))).toEqual(params);
    expect(parseCliLoginPageParams(url.slice(url.indexOf('?') + 1).replace('127.0.0.1%3A49152', 'evil.example.com%3A49152'))).toBeUndefined();
  });

  it('sends the browser back to the loopback listener only', () => {
    expect(cliRedirectWithCode('http://127.0.0.1:49152/callback', 'abc', 'xyz')).toBe('http://127.0.0.1:49152/callback?code=abc&state=xyz');
    expect(() => cliRedirectWithCode('https://evil.example.com/', 'abc', 'xyz')).toThrow();
  });
});
