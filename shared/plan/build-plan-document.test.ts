import { describe, expect, test } from 'vitest';
import { POOL, TRUST, actualFrom, desired, policyWith, readOnlySet } from '../../test/fixtures/plan.ts';
import { buildPlanDocument, type PlanFindings } from './build-plan-document.ts';
import { desiredRole } from './desired-roles.ts';
import { planAccount } from './diff.ts';
import type { AccountPlan } from './model.ts';
import { PlanDocumentSchema } from './plan-document.ts';
import { summarize, type ReconcileReport } from './report.ts';

const DEV = '111111111111';
const PROD = '222222222222';

function report(overrides: Partial<ReconcileReport> = {}): ReconcileReport {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    version: 1,
    runId: 'r',
    mode: 'plan',
    status: 'planned',
    startedAt: at,
    finishedAt: at,
    problems: [],
    accounts: [],
    summary: summarize([]),
    ...overrides,
  };
}

function findings(plans: AccountPlan[], overrides: Partial<PlanFindings> = {}): PlanFindings {
  const policy = policyWith();
  return { report: report({ summary: { ...summarize([]), accounts: 2 } }), plans, policy, applied: { kind: 'applied', policy }, ...overrides };
}

describe('buildPlanDocument', () => {
  test('a trust policy that names each account is one change for all of them, with {account} for the id', () => {
    const plans = [DEV, PROD].map((accountId) => {
      const role = desired(accountId);
      const actual = actualFrom(desiredRole(accountId, readOnlySet, { ...TRUST, identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111' }));
      return planAccount(accountId, [role], [actual]);
    });
    const plan = buildPlanDocument(findings(plans));
    expect(PlanDocumentSchema.parse(plan)).toEqual(plan);
    expect(plan.roles).toHaveLength(1);
    const [role] = plan.roles;
    expect(role?.accounts).toEqual([
      { id: DEV, name: 'dev' },
      { id: PROD, name: 'prod' },
    ]);
    const trust = role?.changes.find((change) => change.field === 'trustPolicy');
    expect(JSON.stringify(trust)).toContain('"{account}:ReadOnly"');
    expect(JSON.stringify(trust)).not.toContain(`"${DEV}:ReadOnly"`);
    // Twelve digits inside another value (here the identity pool's UUID) are not the account.
    expect(trust?.field === 'trustPolicy' && trust.statements[0]?.lines.filter((line) => line.op !== ' ').map((line) => line.text.trim())).toEqual([
      '"us-east-1:11111111-1111-1111-1111-111111111111"',
      `"${POOL}"`,
    ]);
    // Everyone who holds the role keeps it, with changed permissions.
    expect(plan.access.changed).toEqual([{ group: 'devs', permissionSet: 'ReadOnly', accounts: role?.accounts }]);
    expect(plan.outcome).toBe('changes');
  });

  test('accounts whose change differs are listed apart: a role edited by hand in one account', () => {
    const dev = desired(DEV);
    const prod = desired(PROD);
    const handEdited = { ...actualFrom(prod), managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
    const plans = [
      planAccount(DEV, [dev], [{ ...actualFrom(dev), settings: { description: 'Read everything', maxSessionDuration: 3600 } }]),
      planAccount(PROD, [prod], [{ ...handEdited, settings: { description: 'Read everything', maxSessionDuration: 3600 } }]),
    ];
    const plan = buildPlanDocument(findings(plans));
    expect(plan.roles.map((role) => [role.accounts.map((a) => a.id), role.changes.map((c) => c.field)])).toEqual([
      [[DEV], ['sessionDuration']],
      [[PROD], ['sessionDuration', 'managedPolicies']],
    ]);
  });

  test('a deleted role lists everything it has: session length, policies, inline policies, boundary, tags, instance profiles', () => {
    const actual = { ...actualFrom(desired(DEV)), instanceProfileNames: ['ec2-profile'] };
    const plan = buildPlanDocument(findings([planAccount(DEV, [], [actual])]));
    expect(plan.roles).toEqual([
      {
        action: 'delete',
        permissionSet: 'ReadOnly',
        role: 'Switchyard-ReadOnly',
        accounts: [{ id: DEV, name: 'dev' }],
        changes: [
          { field: 'sessionDuration', from: 28_800 },
          { field: 'managedPolicies', added: [], removed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
          expect.objectContaining({ field: 'inlinePolicy', name: 'switchyard-inline', statements: [expect.objectContaining({ change: 'removed' })] }),
          { field: 'permissionsBoundary', from: 'arn:aws:iam::aws:policy/PowerUserAccess' },
          { field: 'description', from: 'Read everything' },
          { field: 'tags', added: {}, removed: { team: 'platform' }, changed: [] },
          { field: 'instanceProfiles', removed: ['ec2-profile'] },
        ],
      },
    ]);
  });

  test('errors: an account that could not be read, the deletion guard, a problem reading around the plan; the outcome is "error"', () => {
    const plan = buildPlanDocument(
      findings([], {
        report: report({
          accounts: [
            { accountId: PROD, accountName: 'prod', created: [], updated: [], deleted: [], conflicts: [], failed: [], error: 'AccessDenied' },
          ],
          deletionGuard: { allowed: false, deletions: 5, managedRoles: 5, maxShare: 0.25, reason: 'refusing to delete 5 of 5 managed roles' },
        }),
        errors: ['cannot read the policy last applied'],
      }),
    );
    expect(plan.outcome).toBe('error');
    expect(plan.errors).toEqual([
      'a push would be refused: refusing to delete 5 of 5 managed roles',
      'account prod (222222222222) could not be planned: AccessDenied',
      'cannot read the policy last applied',
    ]);
    expect(plan.failedAccounts).toEqual([{ account: { id: PROD, name: 'prod' }, error: 'AccessDenied' }]);
  });

  test('without the policy last applied, access changes are not known and not claimed', () => {
    const policy = policyWith();
    const plan = buildPlanDocument(findings([], { applied: { kind: 'unknown' }, policy }));
    expect(plan.access).toEqual({ comparedWith: 'unknown', added: [], removed: [], changed: [] });
    expect(plan.outcome).toBe('no-changes');
    const first = buildPlanDocument(findings([], { applied: { kind: 'nothing-applied' }, policy }));
    expect(first.access.added).toEqual([
      {
        group: 'devs',
        permissionSet: 'ReadOnly',
        accounts: [
          { id: DEV, name: 'dev' },
          { id: PROD, name: 'prod' },
        ],
      },
    ]);
    expect(first.outcome).toBe('changes');
  });
});
