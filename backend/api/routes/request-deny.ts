/** `POST /requests/:id/deny`: an approver says no, with a reason. */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody } from '../request.ts';
import { requestIdOf } from '../request-id.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function denyRequest(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), jsonBody(API_ROUTES.requestDeny.request), async (c) => {
    const request = await deps.elevation.deny(c.var.person, requestIdOf(c), c.req.valid('json').reason);
    return c.json(deps.elevation.view(request));
  });
}
