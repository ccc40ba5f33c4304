/**
 * Fetching the person's list (GET /entitlements) into the cache: what a popup's refresh does, and what the
 * elevation watch does when an approval arrives while the popup is closed.
 */
import type { SignedInState } from '../messages.ts';
import type { ApiClient } from './api-client.ts';
import type { EntitlementCache, SaveResult } from './entitlement-cache.ts';
import { listMeta, type SessionKeeper } from './session-keeper.ts';

export interface ListRefreshDeps {
  api: ApiClient;
  cache: EntitlementCache;
  keeper: SessionKeeper;
  now: () => Date;
}

export type RefreshedList = SignedInState & SaveResult;

export function makeListRefresh(deps: ListRefreshDeps): () => Promise<RefreshedList> {
  return async () => {
    const { answer, session } = await deps.keeper.withToken(async (token, session) => ({ answer: await deps.api.getEntitlements(token), session }));
    // A list that arrives after sign-out belongs to nobody now.
    const fetchedAt = deps.now().toISOString();
    const saved = await deps.keeper.whileSignedIn(session, (current) =>
      deps.cache.save(session.user.id, { entitlements: answer.entitlements, fetchedAt }, listMeta(current)),
    );
    return { user: answer.user, entitlements: answer.entitlements, fetchedAt, ...saved };
  };
}
