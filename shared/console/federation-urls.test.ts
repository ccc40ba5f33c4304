import { describe, expect, it } from 'vitest';
import { consoleLoginUrl, signinTokenRequestUrl } from './federation-urls.ts';

describe('federation URLs', () => {
  it('encodes the session JSON and duration for getSigninToken', () => {
    const url = new URL(
      signinTokenRequestUrl('https://signin.aws.amazon.com/federation', { accessKeyId: 'AK', secretAccessKey: 'S+/=', sessionToken: 'T&' }, 43200),
    );
    expect(url.searchParams.get('Action')).toBe('getSigninToken');
    expect(url.searchParams.get('SessionDuration')).toBe('43200');
    expect(JSON.parse(url.searchParams.get('Session') ?? '')).toEqual({ sessionId: 'AK', sessionKey: 'S+/=', sessionToken: 'T&' });
  });

  it('builds the login URL with issuer, destination and token', () => {
    const url = new URL(
      consoleLoginUrl('https://signin.aws.amazon.com/federation', {
        issuer: 'Switchyard',
        destination: 'https://console.aws.amazon.com/?a=b&c',
        signinToken: 'tok',
      }),
    );
    expect(url.searchParams.get('Action')).toBe('login');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/?a=b&c');
    expect(url.searchParams.get('SigninToken')).toBe('tok');
  });
});
