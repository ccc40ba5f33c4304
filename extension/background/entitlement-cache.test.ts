import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { HEAD_KEY, LIST_KEY, META_KEY } from '../list-cache/cached-list.ts';
import type { CachedListHead } from '../list-cache/cached-list.ts';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { memoryArea } from './storage-area.ts';

const row: Entitlement = { accountId: '444444444444', accountName: 'sandbox', regions: [], permissionSet: 'Developer', sessionDurationSeconds: 3600 };
const tagged: Entitlement = {
  accountId: '555555555555',
  accountName: 'data-lake',
  color: '#0073bb',
  regions: ['eu-west-1'],
  permissionSet: 'ReadOnly',
  description: 'Look, do not touch',
  sessionDurationSeconds: 28800,
  tags: { team: 'analytics' },
  ouPath: '/Root/Data',
};

describe('makeEntitlementCache', () => {
  it('returns the list only to the person it was fetched for', async () => {
    const cache = makeEntitlementCache(memoryArea());
    await cache.save('alice', { entitlements: [row, tagged], fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(await cache.load('alice')).toEqual({ entitlements: [row, tagged], fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(await cache.load('bob')).toBeUndefined();
    await cache.clear();
    expect(await cache.load('alice')).toBeUndefined();
  });

  it('keeps the list as one compact string the popup can read, and never a token', async () => {
    const area = memoryArea();
    await makeEntitlementCache(area).save(
      'alice',
      { entitlements: [row, tagged], fetchedAt: '2030-01-01T00:00:00.000Z' },
      { displayName: 'Alice', expiresAt: '2030-01-01T08:00:00.000Z' },
    );
    expect(typeof area.entries.get(LIST_KEY)).toBe('string');
    expect(area.entries.get(META_KEY)).toMatchObject({ userId: 'alice', displayName: 'Alice', expiresAt: '2030-01-01T08:00:00.000Z' });
    expect(JSON.stringify([...area.entries])).not.toMatch(/token/i);
  });

  it('rewrites the list only when it changed', async () => {
    const area = memoryArea();
    const cache = makeEntitlementCache(area);
    const first = await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(first.changed).toBe(true);
    area.entries.set(LIST_KEY, 'sentinel: not rewritten');
    const same = await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:05:00.000Z' });
    expect(same).toEqual({ version: first.version, changed: false });
    expect(area.entries.get(LIST_KEY)).toBe('sentinel: not rewritten');
    expect(area.entries.get(META_KEY)).toMatchObject({ fetchedAt: '2030-01-01T00:05:00.000Z' });
    const other = await cache.save('alice', { entitlements: [row, tagged], fetchedAt: '2030-01-01T00:10:00.000Z' });
    expect(other.changed).toBe(true);
    expect(other.version).not.toBe(first.version);
    expect(await cache.load('alice')).toMatchObject({ entitlements: [row, tagged] });
  });

  it('writes the whole list again when its record outlived it: a save that read before storage was cleared cannot hide the next list', async () => {
    const area = memoryArea();
    const cache = makeEntitlementCache(area);
    await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:00:00.000Z' });
    // A refresh reads the cache, then storage is cleared (sign-out, a test's reset), then the refresh writes.
    const read = area.get.bind(area);
    let clearAfterRead = true;
    area.get = async (keys) => {
      const found = await read(keys);
      if (clearAfterRead) {
        clearAfterRead = false;
        area.entries.clear();
      }
      return found;
    };
    await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:05:00.000Z' });
    expect(area.entries.has(LIST_KEY)).toBe(false);
    // The next sign-in saves the same list: it must be readable afterwards.
    expect((await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:10:00.000Z' })).changed).toBe(true);
    expect(await cache.load('alice')).toMatchObject({ entitlements: [row] });
  });

  it('treats a damaged list as no list', async () => {
    const area = memoryArea();
    const cache = makeEntitlementCache(area);
    await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:00:00.000Z' });
    area.entries.set(LIST_KEY, '{"format":1,"accounts":[],"permissionSets":[],"rows":[0]}');
    expect(await cache.load('alice')).toBeUndefined();
    area.entries.set(LIST_KEY, 'not json');
    expect(await cache.load('alice')).toBeUndefined();
  });

  it("keeps the head of the list it holds, for the popup's next open, and lets it go with the list", async () => {
    const area = memoryArea();
    const cache = makeEntitlementCache(area);
    const many = Array.from({ length: 60 }, (_, at): Entitlement => ({ ...row, accountId: String(100000000000 + at), accountName: `account-${at}` }));
    const { version } = await cache.save('alice', { entitlements: many, fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(await cache.keepHead('another-version', [55], ['100000000055:Developer'])).toBe(false);
    expect(area.entries.has(HEAD_KEY)).toBe(false);

    expect(await cache.keepHead(version, [55, 999], ['100000000055:Developer', 'gone:Admin'])).toBe(true);
    const head = area.entries.get(HEAD_KEY) as CachedListHead & { list: { rows: number[]; accounts: [string][] } };
    expect(head).toMatchObject({ version, rows: 60, keys: ['100000000055:Developer', 'gone:Admin'] });
    // The first 40 rows and row 55, in list order; row 999 is not in the list.
    expect(head.list.rows.length / 2).toBe(41);
    expect(head.list.accounts.at(-1)?.[0]).toBe('100000000055');

    // The same list again keeps its head; another list takes it away, and so does signing out.
    await cache.save('alice', { entitlements: many, fetchedAt: '2030-01-01T00:05:00.000Z' });
    expect(area.entries.has(HEAD_KEY)).toBe(true);
    await cache.save('alice', { entitlements: many.slice(1), fetchedAt: '2030-01-01T00:10:00.000Z' });
    expect(area.entries.has(HEAD_KEY)).toBe(false);
    const again = await cache.save('alice', { entitlements: many, fetchedAt: '2030-01-01T00:15:00.000Z' });
    expect(await cache.keepHead(again.version, [], [])).toBe(true);
    await cache.clear();
    expect([...area.entries.keys()]).toEqual([]);
  });
});
