/**
 * `POST /federate` (docs/console-access.md): the entitlement and its availability checked again, and for an
 * eligible pair the grant that covers it (entitled-pair.ts, shared with POST /credentials; docs/elevation.md),
 * the destination and region checked against the deployment's partition, then a console sign-in URL from
 * the broker. Every attempt writes one audit record; a successful one also records the pair's last console
 * use (backend/access/last-use.ts), after the answer.
 */
import { createFactory } from 'hono/factory';
import type { FederateResponse } from '../../../shared/api/federate.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { checkConsoleDestination } from '../../../shared/console/destination.ts';
import { consoleOriginFor, type Partition } from '../../../shared/console/partitions.ts';
import { BrokerError } from '../../broker/console-broker.ts';
import type { ApiDeps } from '../deps.ts';
import { entitledPair, homeRegionOf, pairSession } from '../entitled-pair.ts';
import { HttpError } from '../errors.ts';
import { federationAudit } from '../federation-audit.ts';
import { jsonBody } from '../request.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function federate(deps: ApiDeps) {
  return factory.createHandlers(federationAudit(deps, 'console'), signedInPerson(deps), jsonBody(API_ROUTES.federate.request), async (c) => {
    const { audit, person } = c.var;
    const request = c.req.valid('json');
    const { accountId, permissionSet } = request;
    audit.set({ user: person.id, accountId, permissionSet, region: request.region, destinationHost: hostOf(request.destination, deps.partition) });

    const entitlement = await entitledPair(deps, person, { accountId, permissionSet }, 'console');
    // An eligible pair opens only while a grant covers it, for a session that ends before the grant does.
    const session = await pairSession(deps, person, { accountId, permissionSet }, entitlement);
    audit.set({ sessionSeconds: session.seconds, grantId: session.grantId });

    const checked = checkConsoleDestination({
      destination: request.destination,
      region: request.region,
      partition: deps.partition,
      defaultRegion: homeRegionOf(entitlement, deps),
    });
    if (!checked.ok) throw new HttpError(400, 'bad_request', checked.message);
    audit.set({ region: checked.destination.region, destinationHost: checked.destination.host });

    const signIn = await deps.broker
      .signIn({
        user: person,
        accountId,
        permissionSet,
        sessionDurationSeconds: session.seconds,
        destinationUrl: checked.destination.url,
        requestId: audit.requestId,
      })
      .catch((error: unknown) => {
        if (!(error instanceof BrokerError)) throw error;
        throw new HttpError(502, 'upstream_failure', `could not open the console: ${error.message} (request ${audit.requestId})`);
      });
    await session.confirm();
    audit.succeeded({
      sessionName: signIn.sessionName,
      upstreamMs: signIn.upstreamMs,
      ...(signIn.webIdentity ? { webIdentity: signIn.webIdentity } : {}),
    });
    const body: FederateResponse = { url: signIn.url };
    const answer = c.json(body);
    deps.lastUse.record({ personId: person.id, accountId, permissionSet, channel: 'console', at: new Date() });
    return answer;
  });
}

/** The host a destination names, for the audit record (never its path or query); undefined when it names none. */
function hostOf(destination: string | undefined, partition: Partition): string | undefined {
  if (destination === undefined) return undefined;
  try {
    return new URL(destination, consoleOriginFor(partition)).hostname.slice(0, 253) || undefined;
  } catch {
    return undefined;
  }
}
