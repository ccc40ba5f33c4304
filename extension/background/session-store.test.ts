import { describe, expect, it } from 'vitest';
import { makeSessionStore } from './session-store.ts';
import { memoryArea } from './storage-area.ts';

const user = { id: 'bob', displayName: 'Bob', groups: ['Auditors'] };
const session = {
  token: 'tok',
  expiresAt: '2030-01-01T01:00:00Z',
  refreshToken: 'refresh',
  refreshExpiresAt: '2030-01-01T08:00:00Z',
  source: 'directory' as const,
  user,
};

describe('makeSessionStore', () => {
  it('keeps a session, and when it expires keeps only who it was', async () => {
    const area = memoryArea();
    const store = makeSessionStore(area);
    expect(await store.read()).toEqual({ kind: 'none' });
    await store.save(session);
    expect(await store.read()).toEqual({ kind: 'active', session });
    await store.markExpired(user);
    expect(await store.read()).toEqual({ kind: 'expired', user });
    expect(JSON.stringify([...area.entries.values()])).not.toContain('tok');
  });

  it('treats a malformed stored value as no session', async () => {
    const area = memoryArea();
    await area.set({ session: { token: 42 } });
    expect(await makeSessionStore(area).read()).toEqual({ kind: 'none' });
  });

  it('clears', async () => {
    const area = memoryArea();
    const store = makeSessionStore(area);
    await store.save(session);
    await store.clear();
    expect(await store.read()).toEqual({ kind: 'none' });
    expect(area.entries.size).toBe(0);
  });
});
