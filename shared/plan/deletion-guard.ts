/**
 * Refuses a run that would delete more than a set share of the managed roles, unless the policy
 * says mass deletion is intended. A few deletions are always allowed, so small estates can change.
 */
import type { AccountPlan } from './model.ts';

export interface DeletionGuardOptions {
  /** Largest share (0..1) of the managed roles one run may delete. */
  maxShare: number;
  /** Up to this many deletions are always allowed. */
  alwaysAllowed: number;
  allowMassDeletion: boolean;
}

/** The guard's fixed rules; the share is configured (SWITCHYARD_DELETION_GUARD_SHARE, backend/config/config.ts). */
export const DELETION_GUARD_RULES: Omit<DeletionGuardOptions, 'maxShare'> = { alwaysAllowed: 3, allowMassDeletion: false };

export interface DeletionGuardVerdict {
  allowed: boolean;
  deletions: number;
  managedRoles: number;
  maxShare: number;
  /** Why the run is refused (absent when allowed). */
  reason?: string;
}

export function checkDeletionGuard(plans: AccountPlan[], options: DeletionGuardOptions): DeletionGuardVerdict {
  const deletions = plans.reduce((sum, plan) => sum + plan.deletes.length, 0);
  const managedRoles = plans.reduce((sum, plan) => sum + plan.managedRoleCount, 0);
  return checkDeletionCounts(deletions, managedRoles, options);
}

/** The guard's rule on counts alone (the push check counts against the last applied policy). */
export function checkDeletionCounts(deletions: number, managedRoles: number, options: DeletionGuardOptions): DeletionGuardVerdict {
  const limit = Math.max(options.alwaysAllowed, Math.floor(options.maxShare * managedRoles));
  const verdict = { deletions, managedRoles, maxShare: options.maxShare };
  if (options.allowMassDeletion || deletions <= limit) return { allowed: true, ...verdict };
  return {
    allowed: false,
    ...verdict,
    reason:
      `refusing to delete ${deletions} of ${managedRoles} managed roles (more than ${Math.round(options.maxShare * 100)}%); ` +
      'set allowMassDeletion in the policy files if this is intended',
  };
}
