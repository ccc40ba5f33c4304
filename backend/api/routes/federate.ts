/**
 * `POST /federate` (docs/console-access.md): the entitlement and its availability checked again, the
 * destination and region checked against the deployment's partition, then a console sign-in URL from the
 * broker. Every attempt writes one audit record.
 */
import type { Context } from 'hono';
import { FederateRequestSchema, type FederateResponse } from '../../../shared/api/contract.ts';
import { checkConsoleDestination } from '../../../shared/console/destination.ts';
import { consoleOriginFor, isRegionOf, type Partition } from '../../../shared/console/partitions.ts';
import { entitlementStatus } from '../../../shared/entitlements.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { FederationAudit } from '../federation-audit.ts';
import { jsonBody } from '../request.ts';
import { signedInUser } from './signed-in.ts';

export async function federate(deps: ApiDeps, c: Context): Promise<Response> {
  const audit = new FederationAudit(deps.logger, c);
  try {
    const user = await signedInUser(deps, c);
    audit.set({ user: user.id });
    const request = await jsonBody(c, FederateRequestSchema);
    const { accountId, permissionSet } = request;
    audit.set({ accountId, permissionSet, region: request.region, destinationHost: hostOf(request.destination, deps.partition) });

    const published = await deps.policy.current();
    const status = entitlementStatus(published.policy, user.groups, published.available, { accountId, permissionSet });
    if (status.kind === 'not-assigned') throw new HttpError(403, 'forbidden', `you may not use ${permissionSet} in account ${accountId}`);
    if (status.kind === 'unavailable') {
      throw new HttpError(
        409,
        'role_unavailable',
        `the role for ${permissionSet} in account ${accountId} is not in place yet (the last reconcile could not create or repair it); ask your Switchyard administrator`,
      );
    }
    const { entitlement } = status;

    const checked = checkConsoleDestination({
      destination: request.destination,
      region: request.region,
      partition: deps.partition,
      defaultRegion: entitlement.regions.find((region) => isRegionOf(region, deps.partition)) ?? deps.defaultRegion,
    });
    if (!checked.ok) throw new HttpError(400, 'bad_request', checked.message);
    audit.set({ region: checked.destination.region, destinationHost: checked.destination.host });

    const signIn = await deps.broker.signIn({
      user,
      accountId,
      permissionSet,
      sessionDurationSeconds: entitlement.sessionDurationSeconds,
      destinationUrl: checked.destination.url,
      requestId: audit.requestId,
    });
    audit.succeeded({
      sessionName: signIn.sessionName,
      upstreamMs: signIn.upstreamMs,
      ...(signIn.webIdentity ? { webIdentity: signIn.webIdentity } : {}),
    });
    const body: FederateResponse = { url: signIn.url };
    return c.json(body);
  } catch (error) {
    throw audit.failed(error);
  } finally {
    audit.write();
  }
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
