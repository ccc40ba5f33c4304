/**
 * `GET /entitlements`: what the signed-in person may open now (assigned to one of their groups, or theirs on
 * request, its role in place), in display order; an eligible pair carries the person's pending request or
 * active grant for it, so a client polling this list sees an approval without asking for it.
 */
import { createFactory } from 'hono/factory';
import type { EntitlementsResponse } from '../../../shared/api/entitlements.ts';
import { resolveEntitlements } from '../../../shared/entitlements.ts';
import { pairKey } from '../../../shared/policy/pair.ts';
import type { ApiDeps } from '../deps.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function listEntitlements(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), async (c) => {
    const { person } = c.var;
    const published = await deps.policy.current();
    const listed = resolveEntitlements(published.policy, person.groups, published.available);
    const openRequests = listed.some((entitlement) => entitlement.eligible) ? await deps.elevation.openOf(person) : new Map();
    const entitlements = listed.map((entitlement) => {
      const open = entitlement.eligible ? openRequests.get(pairKey(entitlement)) : undefined;
      if (!open || !(open.state === 'pending' || open.state === 'active')) return entitlement;
      const until = open.state === 'active' ? open.endsAt : open.pendingExpiresAt;
      return until ? { ...entitlement, openRequest: { id: open.id, state: open.state, until } } : entitlement;
    });
    const body: EntitlementsResponse = { user: person, entitlements };
    return c.json(body);
  });
}
