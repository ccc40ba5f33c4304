import { describe, expect, it } from 'vitest';
import { TRUST, policyWith } from '../../test/fixtures/plan.ts';
import { revocationsIn } from '../iam/revoked-sessions.ts';
import { desiredRoles } from './desired-roles.ts';
import { roleChanges } from './diff.ts';
import { INLINE_POLICY_NAME, type ActualRole, type DesiredRole } from './model.ts';
import { withRevocations } from './revocations.ts';

const NOW = Date.parse('2026-01-05T10:00:00.000Z');
const roles = () => desiredRoles(policyWith(), TRUST).get('222222222222') ?? [];
const revocation = {
  accountId: '222222222222',
  permissionSet: 'ReadOnly',
  sessionName: 'bob@corp.example.com',
  revokedAt: '2026-01-05T09:00:00.000Z',
};

function actualOf(role: DesiredRole): ActualRole {
  return {
    roleName: role.roleName,
    path: role.path,
    tags: role.tags,
    trustPolicy: role.trustPolicy,
    managedPolicyArns: role.managedPolicyArns,
    inlinePolicies: role.inlinePolicy ? { [INLINE_POLICY_NAME]: role.inlinePolicy } : {},
    ...(role.permissionsBoundaryArn ? { permissionsBoundaryArn: role.permissionsBoundaryArn } : {}),
    instanceProfileNames: [],
  };
}

describe('revocations in the desired roles', () => {
  it("adds a revoked grant's deny to its role only, as an inline policy change", () => {
    const [role] = withRevocations(roles(), [], [revocation, { ...revocation, permissionSet: 'Other' }], NOW);
    expect(revocationsIn(role?.inlinePolicy)).toEqual([{ sessionName: 'bob@corp.example.com', revokedAt: revocation.revokedAt }]);
    const [plain] = roles();
    expect(roleChanges(role!, actualOf(plain!)).map((change) => change.field)).toEqual(['inlinePolicy']);
  });

  it('keeps a deny the role has while it is in force, even when the state table was not read, and drops it after 12 h', () => {
    const [withDeny] = withRevocations(roles(), [], [revocation], NOW);
    const actual = actualOf(withDeny!);
    const [kept] = withRevocations(roles(), [actual], [], NOW);
    expect(roleChanges(kept!, actual)).toEqual([]);
    const [dropped] = withRevocations(roles(), [actual], [], Date.parse(revocation.revokedAt) + 12 * 3600 * 1000);
    expect(revocationsIn(dropped?.inlinePolicy)).toEqual([]);
    expect(roleChanges(dropped!, actual).map((change) => change.field)).toEqual(['inlinePolicy']);
  });
});
