import { describe, expect, test } from 'vitest';
import { checkDeletionGuard, DELETION_GUARD_RULES } from './deletion-guard.ts';

const QUARTER = { ...DELETION_GUARD_RULES, maxShare: 0.25 };
import type { AccountPlan } from './model.ts';
import { actualFrom, desired } from '../../test/fixtures/plan.ts';

function plan(managed: number, deletions: number): AccountPlan {
  const deletes = Array.from({ length: deletions }, () => ({ actual: actualFrom(desired()) }));
  return { accountId: '111111111111', creates: [], updates: [], deletes, conflicts: [], managedRoleCount: managed };
}

describe('checkDeletionGuard', () => {
  test('allows deletions up to the share of managed roles', () => {
    expect(checkDeletionGuard([plan(20, 2), plan(20, 8)], QUARTER).allowed).toBe(true);
  });

  test('refuses more than the share, with the figures in the reason', () => {
    const verdict = checkDeletionGuard([plan(20, 6), plan(20, 5)], QUARTER);
    expect(verdict).toMatchObject({ allowed: false, deletions: 11, managedRoles: 40 });
    expect(verdict.reason).toMatch(/11 of 40 managed roles.*allowMassDeletion/);
  });

  test('always allows a few deletions, so small estates can change', () => {
    expect(checkDeletionGuard([plan(4, 3)], QUARTER).allowed).toBe(true);
    expect(checkDeletionGuard([plan(4, 4)], QUARTER).allowed).toBe(false);
  });

  test('the policy can say mass deletion is intended', () => {
    expect(checkDeletionGuard([plan(40, 40)], { ...QUARTER, allowMassDeletion: true }).allowed).toBe(true);
  });
});
