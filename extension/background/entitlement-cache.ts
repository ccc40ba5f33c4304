/** The last entitlement list fetched for a person, so the popup can show it at once while it refreshes. */
import { z } from 'zod';
import type { Entitlement } from '../../shared/api/contract.ts';
import { EntitlementSchema } from './response-schemas.ts';
import type { KeyValueArea } from './storage-area.ts';

const KEY = 'entitlements';

const CachedSchema = z.object({
  userId: z.string(),
  fetchedAt: z.string(),
  entitlements: z.array(EntitlementSchema),
});

export interface CachedEntitlements {
  entitlements: Entitlement[];
  fetchedAt: string;
}

export interface EntitlementCache {
  /** The cached list for this person; another person's list is never returned. */
  load(userId: string): Promise<CachedEntitlements | undefined>;
  save(userId: string, cached: CachedEntitlements): Promise<void>;
  clear(): Promise<void>;
}

export function makeEntitlementCache(area: KeyValueArea): EntitlementCache {
  return {
    async load(userId) {
      const parsed = CachedSchema.safeParse((await area.get(KEY))[KEY]);
      if (!parsed.success || parsed.data.userId !== userId) return undefined;
      return { entitlements: parsed.data.entitlements, fetchedAt: parsed.data.fetchedAt };
    },
    async save(userId, cached) {
      await area.set({ [KEY]: { userId, fetchedAt: cached.fetchedAt, entitlements: cached.entitlements } });
    },
    async clear() {
      await area.remove(KEY);
    },
  };
}
