/** `GET /requests`: the signed-in person's requests and grants, newest first, each in its state as of now (cheap to poll). */
import { createFactory } from 'hono/factory';
import type { RequestList } from '../../../shared/api/requests.ts';
import type { ApiDeps } from '../deps.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function listMyRequests(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), async (c) => {
    const body: RequestList = { requests: (await deps.elevation.mine(c.var.person)).map((request) => deps.elevation.view(request)) };
    return c.json(body);
  });
}
