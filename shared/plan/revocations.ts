/**
 * The revocation statements each desired role carries (shared/iam/revoked-sessions.ts): those of the
 * revoked grants the state table knows, and those the role already has and that are still in force, so a
 * run that cannot read the state table (`policy push --reconcile` without SWITCHYARD_STATE_TABLE) never
 * drops one before its time.
 */
import { liveRevocations, revocationsIn, withRevokedSessions, type SessionRevocation } from '../iam/revoked-sessions.ts';
import { INLINE_POLICY_NAME, type ActualRole, type DesiredRole } from './model.ts';

/** A revoked grant's sessions in one role. */
export interface RoleRevocation extends SessionRevocation {
  accountId: string;
  permissionSet: string;
}

export function withRevocations(
  desired: readonly DesiredRole[],
  actual: readonly ActualRole[],
  revocations: readonly RoleRevocation[],
  now: number,
): DesiredRole[] {
  const actualByName = new Map(actual.map((role) => [role.roleName, role]));
  return desired.map((role) => {
    const recorded = revocations.filter((revocation) => revocation.accountId === role.accountId && revocation.permissionSet === role.permissionSet);
    const onRole = revocationsIn(actualByName.get(role.roleName)?.inlinePolicies[INLINE_POLICY_NAME]);
    const live = liveRevocations([...recorded, ...onRole], now);
    return live.length === 0 ? role : { ...role, inlinePolicy: withRevokedSessions(role.inlinePolicy, live) };
  });
}
