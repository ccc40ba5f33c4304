import { describe, expect, it } from 'vitest';
import { cognitoIssuer } from './clients.ts';

describe('the issuer of a user pool', () => {
  it('is on the DNS suffix of the pool region’s partition', () => {
    expect(cognitoIssuer('eu-west-1_AbC123')).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123');
    expect(cognitoIssuer('cn-north-1_AbC123')).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123');
    expect(cognitoIssuer('us-gov-west-1_AbC123')).toBe('https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123');
  });
});
