import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { BucketLock } from './lock.ts';

describe('a lock kept by a run split into batches', () => {
  const lockOf = (store: MemoryObjectStore, now: () => number) =>
    new BucketLock({ store, lockKey: 'lock.json', rerunKey: 'rerun.json', ttlMs: 1000, now });

  it("is extended by its owner's name from another invocation, even past its expiry when nobody took it over", async () => {
    const store = new MemoryObjectStore();
    let now = 0;
    expect(await lockOf(store, () => now).tryAcquire('run-1')).toBe(true);
    now = 5000; // expired, but nobody took it over
    expect(await lockOf(store, () => now).extendFor('run-1')).toBe(true);
    now = 5500; // within the extended expiry: another run cannot take it
    expect(await lockOf(store, () => now).tryAcquire('run-2')).toBe(false);
  });

  it('is not extended or let go for a run that lost it', async () => {
    const store = new MemoryObjectStore();
    let now = 0;
    expect(await lockOf(store, () => now).tryAcquire('run-1')).toBe(true);
    now = 5000;
    expect(await lockOf(store, () => now).tryAcquire('run-2')).toBe(true);
    expect(await lockOf(store, () => now).extendFor('run-1')).toBe(false);
    await lockOf(store, () => now).releaseFor('run-1');
    expect(await store.exists('lock.json')).toBe(true);
    await lockOf(store, () => now).releaseFor('run-2');
    expect(await store.exists('lock.json')).toBe(false);
  });

  it("is extended by two batches of its run at once: the one that loses the write's race reads again and extends it too", async () => {
    const store = new MemoryObjectStore();
    expect(await lockOf(store, () => 0).tryAcquire('run-1')).toBe(true);
    const extended = await Promise.all([lockOf(store, () => 10).extendFor('run-1'), lockOf(store, () => 20).extendFor('run-1')]);
    expect(extended).toEqual([true, true]);
  });
});
