/** `POST /requests/:id/extend`: the requester extends an active grant, as often and by as much as its rule allows. */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody } from '../request.ts';
import { requestIdOf } from '../request-id.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function extendGrant(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), jsonBody(API_ROUTES.grantExtend.request), async (c) => {
    const request = await deps.elevation.extend(c.var.person, requestIdOf(c), c.req.valid('json'));
    return c.json(deps.elevation.view(request));
  });
}
