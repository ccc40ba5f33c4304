/**
 * What every StateTable adapter must do: one suite, run against the in-memory adapter (unit) and the
 * DynamoDB adapter on moto (integration), so that the features' unit tests over memory mean the same
 * as production over DynamoDB.
 */
import { describe, expect, test } from 'vitest';
import { StateConditionFailed, type StateTable } from '../../backend/state/state-table.ts';

export interface StateTableWorld {
  /** A fresh, empty table for each test, with a clock the test can move. */
  table(): Promise<{ table: StateTable; clock: { now: number } }>;
}

export function stateTableContract(name: string, world: StateTableWorld): void {
  describe(`${name}: the state table contract`, () => {
    test('put creates at version 1, get reads it back, each write raises the version', async () => {
      const { table } = await world.table();
      expect(await table.get({ pk: 'p', sk: 's' })).toBeUndefined();
      const created = await table.put({ pk: 'p', sk: 's', data: { name: 'a', nested: { list: [1, 2] } } }, { kind: 'absent' });
      expect(created).toEqual({ pk: 'p', sk: 's', version: 1, data: { name: 'a', nested: { list: [1, 2] } } });
      expect(await table.get({ pk: 'p', sk: 's' })).toEqual(created);
      const updated = await table.put({ pk: 'p', sk: 's', data: { name: 'b' } }, { kind: 'version', version: 1 });
      expect(updated.version).toBe(2);
      expect((await table.get({ pk: 'p', sk: 's' }))?.data).toEqual({ name: 'b' });
    });

    test('conditions decide races: absent refuses an existing item, version refuses a stale one', async () => {
      const { table } = await world.table();
      await table.put({ pk: 'p', sk: 's', data: {} }, { kind: 'absent' });
      await expect(table.put({ pk: 'p', sk: 's', data: {} }, { kind: 'absent' })).rejects.toBeInstanceOf(StateConditionFailed);
      await table.put({ pk: 'p', sk: 's', data: { by: 'first' } }, { kind: 'version', version: 1 });
      await expect(table.put({ pk: 'p', sk: 's', data: { by: 'second' } }, { kind: 'version', version: 1 })).rejects.toBeInstanceOf(
        StateConditionFailed,
      );
      await expect(table.put({ pk: 'p', sk: 'missing', data: {} }, { kind: 'version', version: 1 })).rejects.toBeInstanceOf(StateConditionFailed);
      expect((await table.get({ pk: 'p', sk: 's' }))?.data).toEqual({ by: 'first' });
    });

    test('of two concurrent writers at the same version exactly one wins', async () => {
      const { table } = await world.table();
      await table.put({ pk: 'race', sk: 'x', data: {} }, { kind: 'absent' });
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c', 'd'].map((who) => table.put({ pk: 'race', sk: 'x', data: { who } }, { kind: 'version', version: 1 })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(StateConditionFailed);
    });

    test('an expired item is absent to reads, queries and conditions, and can be created again', async () => {
      const { table, clock } = await world.table();
      const ends = Math.floor(clock.now / 1000) + 60;
      await table.put({ pk: 'p', sk: 'short', expiresAt: ends, data: { a: 1 } }, { kind: 'absent' });
      await table.put({ pk: 'p', sk: 'long', data: { a: 2 } }, { kind: 'absent' });
      expect((await table.get({ pk: 'p', sk: 'short' }))?.expiresAt).toBe(ends);
      clock.now += 61_000;
      expect(await table.get({ pk: 'p', sk: 'short' })).toBeUndefined();
      expect((await table.query('p')).items.map((item) => item.sk)).toEqual(['long']);
      await expect(table.put({ pk: 'p', sk: 'short', data: {} }, { kind: 'version', version: 1 })).rejects.toBeInstanceOf(StateConditionFailed);
      const again = await table.put({ pk: 'p', sk: 'short', data: { a: 3 } }, { kind: 'absent' });
      expect(again.version).toBeGreaterThan(1);
      expect(again.expiresAt).toBeUndefined();
    });

    test('delete under a condition', async () => {
      const { table } = await world.table();
      await table.put({ pk: 'p', sk: 's', data: {} }, { kind: 'absent' });
      await expect(table.delete({ pk: 'p', sk: 's' }, { kind: 'version', version: 7 })).rejects.toBeInstanceOf(StateConditionFailed);
      await table.delete({ pk: 'p', sk: 's' }, { kind: 'version', version: 1 });
      expect(await table.get({ pk: 'p', sk: 's' })).toBeUndefined();
      await table.delete({ pk: 'p', sk: 's' }, { kind: 'any' });
    });

    test('query: one partition, by sort-key prefix, in order, paged with a cursor', async () => {
      const { table } = await world.table();
      for (const sk of ['b#2', 'a#1', 'b#1', 'b#3', 'c#1']) await table.put({ pk: 'q', sk, data: { sk } }, { kind: 'absent' });
      await table.put({ pk: 'other', sk: 'b#9', data: {} }, { kind: 'absent' });
      expect((await table.query('q', { skPrefix: 'b#' })).items.map((item) => item.sk)).toEqual(['b#1', 'b#2', 'b#3']);
      const first = await table.query('q', { limit: 2 });
      expect(first.items.map((item) => item.sk)).toEqual(['a#1', 'b#1']);
      expect(first.cursor).toBeDefined();
      const second = await table.query('q', { limit: 2, cursor: first.cursor });
      expect(second.items.map((item) => item.sk)).toEqual(['b#2', 'b#3']);
      const third = await table.query('q', { limit: 2, cursor: second.cursor });
      expect(third.items.map((item) => item.sk)).toEqual(['c#1']);
      expect(third.cursor).toBeUndefined();
    });

    test('the secondary index finds items by their index key, and forgets an index that is removed', async () => {
      const { table } = await world.table();
      await table.put({ pk: 'req#1', sk: 'state', index: { pk: 'pending', sk: '2026-01-02' }, data: { id: 1 } }, { kind: 'absent' });
      await table.put({ pk: 'req#2', sk: 'state', index: { pk: 'pending', sk: '2026-01-01' }, data: { id: 2 } }, { kind: 'absent' });
      await table.put({ pk: 'req#3', sk: 'state', index: { pk: 'ended', sk: '2026-01-01' }, data: { id: 3 } }, { kind: 'absent' });
      const pending = await eventually(async () => {
        const page = await table.query<{ id: number }>('pending', { index: true });
        return page.items.length === 2 ? page : undefined;
      });
      expect(pending.items.map((item) => item.data.id)).toEqual([2, 1]);
      expect(pending.items[0]).toMatchObject({ pk: 'req#2', sk: 'state', index: { pk: 'pending', sk: '2026-01-01' } });
      await table.put({ pk: 'req#2', sk: 'state', data: { id: 2 } }, { kind: 'version', version: 1 });
      const after = await eventually(async () => {
        const page = await table.query<{ id: number }>('pending', { index: true });
        return page.items.length === 1 ? page : undefined;
      });
      expect(after.items.map((item) => item.data.id)).toEqual([1]);
    });

    test('counters add up across callers and start again after they expire', async () => {
      const { table, clock } = await world.table();
      const ends = Math.floor(clock.now / 1000) + 300;
      const key = { pk: 'limit', sk: 'alice' };
      const callers = 40;
      const counts = await Promise.all(Array.from({ length: callers }, () => table.increment(key, 1, ends)));
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: callers }, (_, i) => i + 1));
      expect((await table.get<{ count: number }>(key))?.data.count).toBe(callers);
      expect(await table.increment(key, 2, ends + 999)).toBe(callers + 2);
      expect((await table.get(key))?.expiresAt).toBe(ends);
      clock.now += 301_000;
      expect(await table.get(key)).toBeUndefined();
      expect(await table.increment(key, 1, ends + 600)).toBe(1);
      expect((await table.get(key))?.expiresAt).toBe(ends + 600);
    });
  });
}

/** The index is eventually consistent on DynamoDB: poll briefly (moto answers at once). */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the state index did not show the expected items within one second');
}
