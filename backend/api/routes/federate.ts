/**
 * `POST /federate` (docs/console-access.md): the entitlement and its availability checked again, for an
 * eligible pair the grant that covers it (docs/elevation.md), the destination and region checked against the
 * deployment's partition, then a console sign-in URL from the broker. Every attempt writes one audit record.
 */
import { createFactory } from 'hono/factory';
import type { FederateResponse } from '../../../shared/api/federate.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { checkConsoleDestination } from '../../../shared/console/destination.ts';
import { consoleOriginFor, isRegionOf, type Partition } from '../../../shared/console/partitions.ts';
import { entitlementStatus } from '../../../shared/entitlements.ts';
import { BrokerError } from '../../broker/console-broker.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { federationAudit } from '../federation-audit.ts';
import { jsonBody } from '../request.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function federate(deps: ApiDeps) {
  return factory.createHandlers(federationAudit(deps.logger), signedInPerson(deps), jsonBody(API_ROUTES.federate.request), async (c) => {
    const { audit, person } = c.var;
    const request = c.req.valid('json');
    const { accountId, permissionSet } = request;
    audit.set({ user: person.id, accountId, permissionSet, region: request.region, destinationHost: hostOf(request.destination, deps.partition) });

    const published = await deps.policy.current();
    const status = entitlementStatus(published.policy, person.groups, published.available, { accountId, permissionSet });
    if (status.kind === 'not-assigned') throw new HttpError(403, 'forbidden', `you may not use ${permissionSet} in account ${accountId}`);
    if (status.kind === 'unavailable') {
      throw new HttpError(
        409,
        'role_unavailable',
        `the role for ${permissionSet} in account ${accountId} is not in place yet (the last reconcile could not create or repair it); ask your Switchyard administrator`,
      );
    }
    const { entitlement } = status;
    // An eligible pair opens only while a grant covers it, for a session that ends before the grant does.
    const target = { accountId, permissionSet };
    const grant = entitlement.eligible ? await deps.elevation.sessionFor(person, target, entitlement.sessionDurationSeconds) : undefined;
    const sessionDurationSeconds = grant?.seconds ?? entitlement.sessionDurationSeconds;
    audit.set({ sessionSeconds: sessionDurationSeconds, ...(grant ? { grantId: grant.grantId } : {}) });

    const checked = checkConsoleDestination({
      destination: request.destination,
      region: request.region,
      partition: deps.partition,
      defaultRegion: entitlement.regions.find((region) => isRegionOf(region, deps.partition)) ?? deps.defaultRegion,
    });
    if (!checked.ok) throw new HttpError(400, 'bad_request', checked.message);
    audit.set({ region: checked.destination.region, destinationHost: checked.destination.host });

    const signIn = await deps.broker
      .signIn({
        user: person,
        accountId,
        permissionSet,
        sessionDurationSeconds,
        destinationUrl: checked.destination.url,
        requestId: audit.requestId,
      })
      .catch((error: unknown) => {
        if (!(error instanceof BrokerError)) throw error;
        throw new HttpError(502, 'upstream_failure', `could not open the console: ${error.message} (request ${audit.requestId})`);
      });
    // Revoked while the session was being made: the link is never handed out (that session was issued before the revocation, which denies it).
    if (grant) await deps.elevation.sessionFor(person, target, entitlement.sessionDurationSeconds);
    audit.succeeded({
      sessionName: signIn.sessionName,
      upstreamMs: signIn.upstreamMs,
      ...(signIn.webIdentity ? { webIdentity: signIn.webIdentity } : {}),
    });
    const body: FederateResponse = { url: signIn.url };
    return c.json(body);
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
