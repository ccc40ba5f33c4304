/**
 * The machine-readable result of a reconcile run (or a plan): written next to the policy files,
 * logged, and printed by the CLI.
 */
import type { DeletionGuardVerdict } from './deletion-guard.ts';
import type { AccountPlan, RoleConflict, RoleField } from './model.ts';
import type { Problem } from '../policy/problem.ts';

export type { Problem } from '../policy/problem.ts';

export interface RoleUpdateReport {
  role: string;
  fields: RoleField[];
}

export interface RoleFailure {
  role: string;
  reason: string;
}

export interface AccountReport {
  accountId: string;
  accountName?: string;
  /** In plan mode: what would be created, updated, deleted. */
  created: string[];
  updated: RoleUpdateReport[];
  deleted: string[];
  conflicts: RoleConflict[];
  failed: RoleFailure[];
  /** Set when the account as a whole failed (unreachable, access denied, unreadable). */
  error?: string;
  /** No longer in the inventory: visited only to remove the roles Switchyard made there. */
  retired?: true;
}

export type RunStatus =
  /** Every account converged. */
  | 'applied'
  /** Plan mode: nothing was written. */
  | 'planned'
  /** Some accounts or roles failed; the others converged. */
  | 'partial'
  /** Policy files are invalid: zero writes. */
  | 'invalid'
  /** The deletion guard refused the run: zero writes. */
  | 'refused'
  /** Another run holds the lock; it was asked to run again, on the latest files, before it lets go. */
  | 'deferred'
  /**
   * The accounts were split into batches on the reconcile queue (shared/plan/batches.ts); the batch that
   * completes the count writes the whole report, with one of the statuses above.
   */
  | 'batched';

export interface ReconcileReport {
  version: 1;
  runId: string;
  mode: 'apply' | 'plan';
  /** The pushed generation of policy files this run read (absent for a plan of a local folder). */
  generation?: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  /** Errors and warnings about the policy files, each naming file, line and column. */
  problems: Problem[];
  deletionGuard?: DeletionGuardVerdict;
  accounts: AccountReport[];
  summary: { accounts: number; failedAccounts: number; created: number; updated: number; deleted: number; conflicts: number };
}

/** What a plan would do in one account, as a report entry. */
export function accountReportFromPlan(plan: AccountPlan, accountName?: string): AccountReport {
  return {
    accountId: plan.accountId,
    ...(accountName === undefined ? {} : { accountName }),
    created: plan.creates.map((role) => role.roleName),
    updated: plan.updates.map((update) => ({
      role: update.desired.roleName,
      fields: update.changes.map((change) => change.field),
    })),
    deleted: plan.deletes.map((deletion) => deletion.actual.roleName),
    conflicts: plan.conflicts,
    failed: [],
  };
}

export function emptyAccountReport(accountId: string, accountName?: string): AccountReport {
  return { accountId, ...(accountName === undefined ? {} : { accountName }), created: [], updated: [], deleted: [], conflicts: [], failed: [] };
}

export function summarize(accounts: AccountReport[]): ReconcileReport['summary'] {
  return {
    accounts: accounts.length,
    failedAccounts: accounts.filter((a) => a.error !== undefined || a.failed.length > 0).length,
    created: accounts.reduce((n, a) => n + a.created.length, 0),
    updated: accounts.reduce((n, a) => n + a.updated.length, 0),
    deleted: accounts.reduce((n, a) => n + a.deleted.length, 0),
    conflicts: accounts.reduce((n, a) => n + a.conflicts.length, 0),
  };
}
