/** `GET /requests/:id`: one request, for its requester and the approvers of its pair; 404 for anyone else. */
import { createFactory } from 'hono/factory';
import type { ApiDeps } from '../deps.ts';
import { requestIdOf } from '../request-id.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function getRequest(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), async (c) =>
    c.json(deps.elevation.view(await deps.elevation.get(c.var.person, requestIdOf(c)))),
  );
}
