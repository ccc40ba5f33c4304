import { describe, expect, test } from 'vitest';
import { planAccount, roleChanges } from './diff.ts';
import { INLINE_POLICY_NAME, isEmptyPlan } from './model.ts';
import { actualFrom, desired } from '../../test/fixtures/plan.ts';

const ACCOUNT = '111111111111';

describe('planAccount', () => {
  test('creates a wanted role that does not exist', () => {
    const plan = planAccount(ACCOUNT, [desired()], []);
    expect(plan.creates.map((r) => r.roleName)).toEqual(['Switchyard-ReadOnly']);
    expect(plan.updates).toEqual([]);
    expect(plan.deletes).toEqual([]);
  });

  test('an identical role needs nothing, even when IAM reorders and reshapes its documents', () => {
    const role = desired();
    const actual = actualFrom(role);
    const statement = (actual.trustPolicy?.Statement as Record<string, unknown>[])[0] as Record<string, unknown>;
    statement.Action = ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'];
    actual.trustPolicy = { Statement: statement, Version: '2012-10-17' };
    actual.inlinePolicies[INLINE_POLICY_NAME] = {
      Statement: [{ Resource: ['*'], Action: ['secretsmanager:*'], Effect: 'Deny' }],
      Version: '2012-10-17',
    };
    const plan = planAccount(ACCOUNT, [role], [actual]);
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan.managedRoleCount).toBe(1);
  });

  test('deletes a managed role no longer wanted, and never an unmanaged one', () => {
    const managed = actualFrom(desired());
    const unmanagedSamePath = { ...actualFrom(desired()), roleName: 'Switchyard-Other', tags: {} };
    const foreign = { ...actualFrom(desired()), roleName: 'Admin', path: '/', tags: { 'switchyard:managed': 'true' } };
    const plan = planAccount(ACCOUNT, [], [managed, unmanagedSamePath, foreign]);
    expect(plan.deletes.map((d) => d.actual.roleName)).toEqual(['Switchyard-ReadOnly']);
    expect(plan.managedRoleCount).toBe(1);
  });

  test('a same-named role without our path or tag is a conflict, neither created nor updated', () => {
    for (const lookalike of [
      { ...actualFrom(desired()), path: '/' },
      { ...actualFrom(desired()), tags: { team: 'platform' } },
      { ...actualFrom(desired()), roleName: 'switchyard-readonly', path: '/', tags: {} },
    ]) {
      const plan = planAccount(ACCOUNT, [desired()], [lookalike]);
      expect(plan.creates).toEqual([]);
      expect(plan.updates).toEqual([]);
      expect(plan.deletes).toEqual([]);
      expect(plan.conflicts.map((c) => c.roleName)).toEqual(['Switchyard-ReadOnly']);
    }
  });
});

describe('roleChanges', () => {
  test('names every drifted field with what to write', () => {
    const role = desired();
    const actual = actualFrom(role);
    actual.trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    actual.managedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    actual.inlinePolicies = { [INLINE_POLICY_NAME]: { Version: '2012-10-17', Statement: [] }, 'hand-made': {} };
    actual.permissionsBoundaryArn = undefined;
    actual.tags = { 'switchyard:managed': 'true', team: 'other', extra: 'x', 'aws:cloudformation:stack-name': 's' };
    actual.settings = { description: 'edited', maxSessionDuration: 3600 };

    const changes = roleChanges(role, actual);
    expect(changes).toEqual([
      { field: 'trustPolicy', document: role.trustPolicy },
      { field: 'managedPolicies', attach: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], detach: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      { field: 'inlinePolicy', put: role.inlinePolicy, remove: ['hand-made'] },
      { field: 'permissionsBoundary', arn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      { field: 'tags', set: { team: 'platform' }, remove: ['extra'] },
      { field: 'description', from: 'edited', to: 'Read everything' },
      { field: 'maxSessionDuration', from: 3600, to: 28_800 },
    ]);
  });

  test('removes the inline policy and boundary when the permission set drops them', () => {
    const actual = actualFrom(desired());
    const role = { ...desired(), inlinePolicy: undefined, permissionsBoundaryArn: undefined };
    expect(roleChanges(role, actual)).toEqual([
      { field: 'inlinePolicy', put: undefined, remove: [INLINE_POLICY_NAME] },
      { field: 'permissionsBoundary', arn: undefined },
    ]);
  });

  test('does not compare description and session length when they were not read', () => {
    const actual = { ...actualFrom(desired()), settings: undefined };
    expect(roleChanges(desired(), actual)).toEqual([]);
  });

  test('a changed inline policy is one change of one field', () => {
    const role = { ...desired(), inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }] } };
    expect(roleChanges(role, actualFrom(desired()))).toEqual([{ field: 'inlinePolicy', put: role.inlinePolicy, remove: [] }]);
  });

  test('tag keys named like Object.prototype members are ordinary keys', () => {
    const actual = { ...actualFrom(desired()), tags: { ...desired().tags, constructor: 'hand-made', toString: 'x' } };
    expect(roleChanges(desired(), actual)).toEqual([{ field: 'tags', set: {}, remove: ['constructor', 'toString'] }]);
    const wanted = { ...desired(), tags: { ...desired().tags, constructor: 'c' } };
    expect(roleChanges(wanted, actualFrom(desired()))).toEqual([{ field: 'tags', set: { constructor: 'c' }, remove: [] }]);
  });
});
