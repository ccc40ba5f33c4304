/**
 * What the reconciler, the only part that writes IAM, does for elevation at each run: it ends the active
 * grants whose pair the policy it applies no longer offers (a revocation by Switchyard itself, at that
 * publish), and it reads the revoked grants whose sessions may still be alive, to deny them in their roles
 * (shared/plan/revocations.ts).
 */
import { currentRule, revoke, stateAt, type ElevationRequest } from '../../shared/elevation/request.ts';
import { REVOCATION_DENY_SECONDS } from '../../shared/iam/revoked-sessions.ts';
import type { RoleRevocation } from '../../shared/plan/revocations.ts';
import type { Policy } from '../../shared/policy/model.ts';
import { StateConditionFailed } from '../state/state-table.ts';
import type { ElevationEvents } from './events.ts';
import type { RequestStore } from './request-store.ts';

export interface ReconcileGrants {
  /** Revoked grants whose sessions may still be alive, by role. */
  revocations(now: number): Promise<RoleRevocation[]>;
  /** Revokes the active grants `policy` no longer offers to their requester's group; returns them. */
  endIneligible(policy: Policy, generation: string | undefined, now: number): Promise<ElevationRequest[]>;
}

export function reconcileGrants(deps: { store: RequestStore; events: ElevationEvents }): ReconcileGrants {
  return {
    async revocations(now) {
      const revoked = await deps.store.inState('revoked');
      return revoked
        .map(({ request }) => request)
        .filter((request) => request.closed && Date.parse(request.closed.at) + REVOCATION_DENY_SECONDS * 1000 > now)
        .map((request) => ({
          accountId: request.accountId,
          permissionSet: request.permissionSet,
          sessionName: request.requester.sessionName,
          revokedAt: request.closed!.at,
        }));
    },

    async endIneligible(policy, generation, now) {
      const ended: ElevationRequest[] = [];
      for (const stored of await deps.store.inState('active')) {
        const { request } = stored;
        if (stateAt(request, now) !== 'active' || currentRule(policy, request)) continue;
        const reason = `${request.permissionSet} in ${request.accountName} is no longer offered to ${request.rule.group} on request (policy generation ${generation ?? 'pushed'})`;
        const outcome = revoke(request, undefined, undefined, reason, now);
        if (!outcome.ok) continue;
        try {
          const saved = await deps.store.save(outcome.request, stored.version);
          ended.push(saved.request);
          await deps.events.record({ change: 'revoked', request: saved.request, at: new Date(now).toISOString() });
        } catch (error) {
          // Somebody else changed it meanwhile (revoked, extended): the next run looks again.
          if (!(error instanceof StateConditionFailed)) throw error;
        }
      }
      return ended;
    },
  };
}
