import { describe, expect, it } from 'vitest';
import { parsePopupToBackground } from './messages.ts';

describe('parsePopupToBackground', () => {
  it('accepts each well-formed message', () => {
    const messages = [
      { type: 'session/get' },
      { type: 'session/sign-in', credentials: { username: 'alice', password: 'pw' } },
      { type: 'session/sign-out' },
      { type: 'session/sign-in-cognito' },
      { type: 'auth/methods' },
      { type: 'entitlements/refresh' },
      { type: 'console/open', target: { accountId: '012345678901', permissionSet: 'ReadOnly' } },
      { type: 'console/open', target: { accountId: '012345678901', permissionSet: 'ReadOnly', region: 'eu-west-1' } },
      // Any destination reaches the backend, which alone decides what is a console destination (and says why not).
      {
        type: 'console/open',
        target: {
          accountId: '012345678901',
          permissionSet: 'ReadOnly',
          destination: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:',
        },
        disposition: 'background-tab',
      },
      {
        type: 'console/open',
        target: { accountId: '012345678901', permissionSet: 'ReadOnly', destination: '//evil.example.com/' },
        disposition: 'new-window',
      },
    ];
    for (const message of messages) expect(parsePopupToBackground(message)).toEqual({ ok: true, message });
  });

  it('trims the username as the API contract does', () => {
    const parsed = parsePopupToBackground({ type: 'session/sign-in', credentials: { username: ' alice ', password: 'pw' } });
    expect(parsed.ok && parsed.message.type === 'session/sign-in' && parsed.message.credentials.username).toBe('alice');
  });

  it.each([
    ['not an object', 'hello', 'message'],
    ['an unknown type', { type: 'session/steal' }, 'type'],
    ['a missing password', { type: 'session/sign-in', credentials: { username: 'alice' } }, 'credentials.password'],
    ['an empty password', { type: 'session/sign-in', credentials: { username: 'alice', password: '' } }, 'credentials.password'],
    ['an account id that is not 12 digits', { type: 'console/open', target: { accountId: '12345', permissionSet: 'X' } }, 'target.accountId'],
    ['a numeric account id', { type: 'console/open', target: { accountId: 12345678901, permissionSet: 'X' } }, 'target.accountId'],
    ['a bad region', { type: 'console/open', target: { accountId: '012345678901', permissionSet: 'X', region: 'mars' } }, 'target.region'],
    ['extra fields', { type: 'session/get', token: 'x' }, 'message'],
    [
      'an unknown disposition',
      { type: 'console/open', target: { accountId: '012345678901', permissionSet: 'X' }, disposition: 'popup' },
      'disposition',
    ],
    [
      'an empty destination',
      { type: 'console/open', target: { accountId: '012345678901', permissionSet: 'X', destination: '' } },
      'target.destination',
    ],
    ['a single sign-on message carrying a code', { type: 'session/sign-in-cognito', code: 'x' }, 'message'],
    ['a NUL in the username', { type: 'session/sign-in', credentials: { username: 'alice\u0000', password: 'pw' } }, 'credentials.username'],
  ])('rejects %s and names where', (_what, raw, where) => {
    const parsed = parsePopupToBackground(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(new RegExp(`^invalid ${where.replace('.', '\\.')}:`));
  });

  it('never echoes a password in the error', () => {
    const parsed = parsePopupToBackground({ type: 'session/sign-in', credentials: { username: 'alice', password: 'p'.repeat(2000) } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).not.toContain('ppp');
  });
});
