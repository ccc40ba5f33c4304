/** `POST /requests/:id/revoke`: ends an active grant now (the requester, or an approver of its pair): new clicks are refused at once, and the reconciler denies the sessions it gave. */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody } from '../request.ts';
import { requestIdOf } from '../request-id.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function revokeRequest(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), jsonBody(API_ROUTES.requestRevoke.request), async (c) => {
    const request = await deps.elevation.revoke(c.var.person, requestIdOf(c), c.req.valid('json').reason);
    return c.json(deps.elevation.view(request));
  });
}
