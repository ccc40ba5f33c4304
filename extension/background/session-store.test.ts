import { describe, expect, it } from 'vitest';
import { makeSessionStore } from './session-store.ts';
import { memoryArea } from './storage-area.ts';

const user = { id: 'bob', displayName: 'Bob', groups: ['Auditors'] };

describe('makeSessionStore', () => {
  it('keeps a session until it expires, then forgets it', async () => {
    const area = memoryArea();
    let now = Date.parse('2030-01-01T00:00:00Z');
    const store = makeSessionStore(area, () => now);
    await store.save({ token: 'tok', expiresAt: '2030-01-01T01:00:00Z', user });
    expect(await store.load()).toEqual({ token: 'tok', expiresAt: '2030-01-01T01:00:00Z', user });
    now = Date.parse('2030-01-01T01:00:00Z');
    expect(await store.load()).toBeUndefined();
    expect(area.entries.size).toBe(0);
  });

  it('treats a malformed stored value as no session', async () => {
    const area = memoryArea();
    await area.set({ session: { token: 42 } });
    expect(await makeSessionStore(area).load()).toBeUndefined();
  });

  it('clears', async () => {
    const area = memoryArea();
    const store = makeSessionStore(area, () => 0);
    await store.save({ token: 'tok', expiresAt: '2030-01-01T01:00:00Z', user });
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });
});
