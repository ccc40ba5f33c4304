import { describe, expect, it } from 'vitest';
import { MemoryStateTable } from '../state/memory-state-table.ts';
import { addressFailures, stateSignInLimiter, type FailureKey } from './sign-in-limiter.ts';

const alice: FailureKey = { kind: 'person', hash: 'alice-hash' };
const bob: FailureKey = { kind: 'person', hash: 'bob-hash' };
const office: FailureKey = { kind: 'address', hash: 'office-hash' };

function world() {
  const clock = { now: Date.UTC(2026, 11, 6, 9) };
  const table = new MemoryStateTable({ now: () => clock.now });
  return { clock, table, limiter: stateSignInLimiter(table, { address: addressFailures(8), now: () => clock.now }) };
}

describe('sign-in limiter', () => {
  it('gives a person five free failures, then doubles the wait, and forgets on success', async () => {
    const { clock, limiter } = world();
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await limiter.check([alice])).toEqual({ allowed: true });
      await limiter.failed([alice]);
    }
    expect(await limiter.check([alice])).toEqual({ allowed: true });
    await limiter.failed([alice]);
    expect(await limiter.check([alice])).toEqual({ allowed: false, kind: 'person', retryAfterSeconds: 5 });
    expect(await limiter.check([bob])).toEqual({ allowed: true });
    clock.now += 5000;
    expect(await limiter.check([alice])).toEqual({ allowed: true });
    await limiter.failed([alice]);
    expect(await limiter.check([alice])).toEqual({ allowed: false, kind: 'person', retryAfterSeconds: 10 });
    clock.now += 10_000;
    await limiter.succeeded(alice);
    expect(await limiter.check([alice])).toEqual({ allowed: true });
    await limiter.failed([alice]);
    expect(await limiter.check([alice])).toEqual({ allowed: true });
  });

  it('caps the wait at 15 minutes, and counts failures over 15 minutes from the first', async () => {
    const { clock, limiter } = world();
    for (let attempt = 0; attempt < 20; attempt++) await limiter.failed([bob]);
    expect(await limiter.check([bob])).toEqual({ allowed: false, kind: 'person', retryAfterSeconds: 900 });
    clock.now += 15 * 60_000 + 1000;
    expect(await limiter.check([bob])).toEqual({ allowed: true });
    await limiter.failed([bob]);
    expect(await limiter.check([bob])).toEqual({ allowed: true });
  });

  it('counts an address over every name tried from it, with its own free failures, and a success does not forget them', async () => {
    const { limiter } = world();
    for (let index = 0; index < 7; index++) await limiter.failed([{ kind: 'person', hash: `name-${index}` }, office]);
    expect(await limiter.check([office])).toEqual({ allowed: true });
    await limiter.failed([{ kind: 'person', hash: 'name-7' }, office]);
    expect(await limiter.check([office, alice])).toEqual({ allowed: false, kind: 'address', retryAfterSeconds: 5 });
    await limiter.succeeded(alice);
    expect((await limiter.check([office])).allowed).toBe(false);
    // No single name was tried often enough to be slowed down by itself.
    expect(await limiter.check([{ kind: 'person', hash: 'name-0' }])).toEqual({ allowed: true });
  });

  it('answers with the longest of the waits that apply', async () => {
    const { limiter } = world();
    for (let attempt = 0; attempt < 7; attempt++) await limiter.failed([alice]);
    for (let attempt = 0; attempt < 8; attempt++) await limiter.failed([office]);
    expect(await limiter.check([office, alice])).toEqual({ allowed: false, kind: 'person', retryAfterSeconds: 20 });
  });

  it('shares one count between instances over the same table', async () => {
    const { clock, table } = world();
    const one = stateSignInLimiter(table, { now: () => clock.now });
    const two = stateSignInLimiter(table, { now: () => clock.now });
    for (let attempt = 0; attempt < 5; attempt++) await (attempt % 2 === 0 ? one : two).failed([alice]);
    expect((await two.check([alice])).allowed).toBe(false);
    expect((await one.check([alice])).allowed).toBe(false);
  });

  it('keeps keyed hashes only: the table holds no name', async () => {
    const { table, limiter } = world();
    await limiter.failed([alice, office]);
    const counts = await table.query<{ count: number }>('sign-in-failures#person#alice-hash');
    expect(counts.items.map((item) => item.data.count)).toEqual([1]);
  });
});
