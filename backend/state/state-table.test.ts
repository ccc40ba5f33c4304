import { describe, expect, it } from 'vitest';
import { MemoryStateTable } from './memory-state-table.ts';
import { MAX_QUERY_LIMIT, allItems, everyItem } from './state-table.ts';

describe('everyItem', () => {
  it('reads a partition of more items than one query gives, page after page, in sort-key order, and no other partition', async () => {
    const table = new MemoryStateTable();
    const count = 2 * MAX_QUERY_LIMIT + 7;
    for (let at = 0; at < count; at++) await table.put({ pk: 'many', sk: String(at).padStart(5, '0'), data: { at } }, { kind: 'any' });
    await table.put({ pk: 'other', sk: 'x', data: { at: -1 } }, { kind: 'any' });
    const items = await allItems<{ at: number }>(table, 'many');
    expect(items.map((item) => item.data.at)).toEqual(Array.from({ length: count }, (_, at) => at));
    let read = 0;
    for await (const item of everyItem<{ at: number }>(table, 'other')) read += item.data.at === -1 ? 1 : 100;
    expect(read).toBe(1);
  });
});
