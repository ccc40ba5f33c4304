import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeSessionTokens } from './session-tokens.ts';

const user = { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] };

describe('session tokens', () => {
  it('round-trips the person', async () => {
    const tokens = makeSessionTokens(randomBytes(32), 3600);
    const { token } = await tokens.issue(user);
    expect(await tokens.verify(token)).toEqual(user);
  });

  it('rejects expired, forged and malformed tokens', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const tokens = makeSessionTokens(randomBytes(32), 60, () => now);
    const { token } = await tokens.issue(user);
    now = new Date('2026-01-01T00:02:00Z');
    expect(await tokens.verify(token)).toBeNull();

    const other = makeSessionTokens(randomBytes(32), 3600);
    const forged = await other.issue(user);
    expect(await tokens.verify(forged.token)).toBeNull();
    expect(await tokens.verify('not-a-jwt')).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => makeSessionTokens(randomBytes(8), 60)).toThrow(/32 bytes/);
  });
});
