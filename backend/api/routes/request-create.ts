/** `POST /requests`: ask for an eligible pair (docs/elevation.md); 201 with the request, active at once when the pair needs no approval. */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { ApiDeps } from '../deps.ts';
import { jsonBody } from '../request.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function createRequest(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), jsonBody(API_ROUTES.requestCreate.request), async (c) => {
    const request = await deps.elevation.create(c.var.person, c.req.valid('json'));
    return c.json(deps.elevation.view(request), 201);
  });
}
