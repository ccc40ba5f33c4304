/** `GET /entitlements`: the signed-in person's entitlements, in display order. */
import type { Context } from 'hono';
import type { EntitlementsResponse } from '../../../shared/api/contract.ts';
import type { ApiDeps } from '../deps.ts';
import { entitlementsOf, signedInUser } from './signed-in.ts';

export async function listEntitlements(deps: ApiDeps, c: Context): Promise<Response> {
  const user = await signedInUser(deps, c);
  const body: EntitlementsResponse = { user, entitlements: await entitlementsOf(deps, user) };
  return c.json(body);
}
