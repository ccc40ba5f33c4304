/** `GET /entitlements`: what the signed-in person may open now (assigned to one of their groups, its role in place), in display order. */
import { createFactory } from 'hono/factory';
import type { EntitlementsResponse } from '../../../shared/api/entitlements.ts';
import { resolveEntitlements } from '../../../shared/entitlements.ts';
import type { ApiDeps } from '../deps.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function listEntitlements(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), async (c) => {
    const { person } = c.var;
    const published = await deps.policy.current();
    const body: EntitlementsResponse = { user: person, entitlements: resolveEntitlements(published.policy, person.groups, published.available) };
    return c.json(body);
  });
}
