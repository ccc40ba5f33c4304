/**
 * The checks both kinds of access to a role share (POST /federate and POST /credentials): the pair is
 * assigned to the person (or theirs on request, and then a grant covers it now), its role is in place, and
 * for credentials, its permission set is not console-only. One home, so the console and the terminal cannot
 * drift apart.
 */
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { Person } from '../../shared/api/person.ts';
import { isRegionOf } from '../../shared/console/partitions.ts';
import { entitlementStatus } from '../../shared/entitlements.ts';
import type { BrokerTarget } from '../broker/console-broker.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import type { RoleAccess } from './federation-audit.ts';

/** The person's entitlement to the pair, read from the published policy now; an HttpError when it may not be used. */
export async function entitledPair(deps: Pick<ApiDeps, 'policy'>, person: Person, target: BrokerTarget, access: RoleAccess): Promise<Entitlement> {
  const { accountId, permissionSet } = target;
  const published = await deps.policy.current();
  const status = entitlementStatus(published.policy, person.groups, published.available, target);
  if (status.kind === 'not-assigned') throw new HttpError(403, 'forbidden', `you may not use ${permissionSet} in account ${accountId}`);
  if (access === 'credentials' && status.entitlement.consoleOnly) {
    throw new HttpError(
      403,
      'console_only',
      `${permissionSet} is console-only (cli: false in its permission set): open it in the console; no credentials are given for it`,
    );
  }
  if (status.kind === 'unavailable') {
    throw new HttpError(
      409,
      'role_unavailable',
      `the role for ${permissionSet} in account ${accountId} is not in place yet (the last reconcile could not create or repair it); ask your Switchyard administrator`,
    );
  }
  return status.entitlement;
}

/** The region a pair is used in when the request names none: the account's first region of the deployment's partition, else the deployment's. */
export function homeRegionOf(entitlement: Entitlement, deps: Pick<ApiDeps, 'partition' | 'defaultRegion'>): string {
  return entitlement.regions.find((region) => isRegionOf(region, deps.partition)) ?? deps.defaultRegion;
}

/** The session a pair may get now, and how long. */
export interface PairSession {
  seconds: number;
  /** For an eligible pair: the grant that covers it. */
  grantId?: string;
  /**
   * Checks again, once the session was made, that the grant still covers the pair: a revocation in between
   * withholds the session (and, made before the revocation, it is denied by it anyway).
   */
  confirm(): Promise<void>;
}

/**
 * A standing pair gets its permission set's session length. An eligible pair opens only while a grant covers
 * it, for the permission set's length or what is left of the grant, whichever is shorter, so the session ends
 * before the grant does; under the 15 minutes STS requires it is refused (docs/elevation.md).
 */
export async function pairSession(
  deps: Pick<ApiDeps, 'elevation'>,
  person: Person,
  target: BrokerTarget,
  entitlement: Entitlement,
): Promise<PairSession> {
  if (!entitlement.eligible) return { seconds: entitlement.sessionDurationSeconds, confirm: async () => undefined };
  const grant = await deps.elevation.sessionFor(person, target, entitlement.sessionDurationSeconds);
  return {
    seconds: grant.seconds,
    grantId: grant.grantId,
    confirm: async () => void (await deps.elevation.sessionFor(person, target, entitlement.sessionDurationSeconds)),
  };
}
