/** `GET /approvals`: pending requests the signed-in person may approve (never their own), oldest first. */
import { createFactory } from 'hono/factory';
import type { RequestList } from '../../../shared/api/requests.ts';
import type { ApiDeps } from '../deps.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function listRequestsToApprove(deps: ApiDeps) {
  return factory.createHandlers(signedInPerson(deps), async (c) => {
    const body: RequestList = { requests: (await deps.elevation.approvable(c.var.person)).map((request) => deps.elevation.view(request)) };
    return c.json(body);
  });
}
