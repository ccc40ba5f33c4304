/** `POST /requests/:id/approve`: one approval of a pending request, by an approver of its pair as the directory has them now, never the requester; the last one needed starts the grant. */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody } from '../request.ts';
import { requestIdOf } from '../request-id.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function approveRequest(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), jsonBody(API_ROUTES.requestApprove.request), async (c) => {
    const request = await deps.elevation.approve(c.var.person, requestIdOf(c), c.req.valid('json').reason);
    return c.json(deps.elevation.view(request));
  });
}
