import { describe, expect, it } from 'vitest';
import { consoleLoginUrl, partitionOfRegion, signinTokenRequestUrl } from './console-urls.ts';

describe('console URLs', () => {
  it('knows the partition of a region, and none for the partitions it does not serve', () => {
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion('il-central-1')).toBe('aws');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-iso-east-1')).toBeUndefined();
    expect(partitionOfRegion('us-isob-east-1')).toBeUndefined();
    expect(partitionOfRegion('eu-isoe-west-1')).toBeUndefined();
  });

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
