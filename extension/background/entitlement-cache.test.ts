import { describe, expect, it } from 'vitest';
import { makeEntitlementCache } from './entitlement-cache.ts';
import { memoryArea } from './storage-area.ts';

const row = { accountId: '444444444444', accountName: 'sandbox', regions: [], permissionSet: 'Developer', sessionDurationSeconds: 3600 };

describe('makeEntitlementCache', () => {
  it('returns the list only to the person it was fetched for', async () => {
    const cache = makeEntitlementCache(memoryArea());
    await cache.save('alice', { entitlements: [row], fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(await cache.load('alice')).toEqual({ entitlements: [row], fetchedAt: '2030-01-01T00:00:00.000Z' });
    expect(await cache.load('bob')).toBeUndefined();
    await cache.clear();
    expect(await cache.load('alice')).toBeUndefined();
  });
});
