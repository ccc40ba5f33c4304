/**
 * A validated policy -> every member account converged (or, in plan mode, the plan only).
 * Phase 1 reads and plans every account (bounded concurrency), phase 2 applies the deletion guard
 * over all plans, phase 3 applies. Each account fails alone: its error is reported, the rest go on.
 */
import pLimit from 'p-limit';
import { checkDeletionGuard, type DeletionGuardOptions, type DeletionGuardVerdict } from '../../shared/plan/deletion-guard.ts';
import { assignedSets, desiredRole } from '../../shared/plan/desired-roles.ts';
import { planAccount } from '../../shared/plan/diff.ts';
import { withRevocations, type RoleRevocation } from '../../shared/plan/revocations.ts';
import { isEmptyPlan, type AccountPlan } from '../../shared/plan/model.ts';
import { accountReportFromPlan, emptyAccountReport, type AccountReport, type RunStatus } from '../../shared/plan/report.ts';
import type { FederationTrust } from '../../shared/iam/trust-policy.ts';
import type { Policy } from '../../shared/policy/model.ts';
import type { AppLogger } from '../logging.ts';
import {
  accessRoleFailure,
  AccountAccessError,
  assumeAccessRole,
  memberAccountIam,
  type AccountAccess,
  type AccountSession,
} from './account-access.ts';
import { applyAccountPlan } from './apply-plan.ts';
import { readAccountRoles } from './read-roles.ts';
import { errorText } from '../../shared/error-text.ts';

export interface ReconcileAccountsOptions {
  access: AccountAccess;
  /** Whose tokens the managed roles trust. */
  trust: FederationTrust;
  mode: 'apply' | 'plan';
  concurrency: number;
  deletionGuard: Omit<DeletionGuardOptions, 'allowMassDeletion'>;
  readRoleSettings?: boolean;
  /** Accounts outside the inventory that may still hold managed roles (from earlier runs). */
  retiredAccountIds?: string[];
  /** Only these of the inventory's accounts (one batch of a run split into batches, shared/plan/batches.ts); default all. */
  accountIds?: readonly string[];
  /** Revoked grants whose sessions each role must deny (elevation), and the time that decides which are still in force. */
  revocations?: readonly RoleRevocation[];
  now?: number;
  logger?: AppLogger;
}

export interface AccountsOutcome {
  status: RunStatus;
  accounts: AccountReport[];
  deletionGuard: DeletionGuardVerdict;
  /** Accounts that may hold managed roles after this run: the inventory, and retired accounts not yet emptied. */
  mayHoldRoles: string[];
  /** Plan mode: each readable account's plan, for a plan that shows old and new values. */
  plans?: AccountPlan[];
}

/** An account read and planned: its access role's credentials (not a client: an idle client per account adds up), its plan. */
type Planned = { session: AccountSession; plan: AccountPlan; name: string };

export async function reconcileAccounts(policy: Policy, options: ReconcileAccountsOptions): Promise<AccountsOutcome> {
  const limit = pLimit(options.concurrency);
  const wanted = assignedSets(policy);
  if (options.accountIds) {
    const batch = new Set(options.accountIds);
    for (const id of wanted.keys()) if (!batch.has(id)) wanted.delete(id);
  }
  const retired = new Set((options.retiredAccountIds ?? []).filter((id) => !wanted.has(id)));
  for (const id of retired) wanted.set(id, []);
  const names = new Map(policy.accounts.map((account) => [account.id, account.name]));
  const mark = (report: AccountReport): AccountReport => (retired.has(report.accountId) ? { ...report, retired: true } : report);

  const phase1 = await Promise.all(
    [...wanted].map(([accountId, sets]) =>
      limit(async (): Promise<Planned | AccountReport> => {
        try {
          const session = await assumeAccessRole(options.access, accountId);
          const actual = await readAccountRoles(memberAccountIam(options.access, session), { readRoleSettings: options.readRoleSettings }).catch(
            (error: unknown) => {
              throw accessRoleFailure(options.access, accountId, error);
            },
          );
          const roles = sets.map((set) => desiredRole(accountId, set, options.trust));
          const denying = withRevocations(roles, actual, options.revocations ?? [], options.now ?? Date.now());
          return { session, plan: planAccount(accountId, denying, actual), name: names.get(accountId) ?? '' };
        } catch (error) {
          const report = emptyAccountReport(accountId, names.get(accountId));
          report.error = error instanceof AccountAccessError ? error.message : errorText(error);
          options.logger?.error('account failed', { accountId, reason: report.error });
          return report;
        }
      }),
    ),
  );
  const planned = phase1.filter((entry): entry is Planned => 'plan' in entry);
  const failed = phase1.filter((entry): entry is AccountReport => !('plan' in entry));

  const deletionGuard = checkDeletionGuard(
    planned.map((entry) => entry.plan),
    { ...options.deletionGuard, allowMassDeletion: policy.allowMassDeletion ?? false },
  );
  const planReports = () => planned.map((entry) => accountReportFromPlan(entry.plan, entry.name || undefined));
  const allIds = [...wanted.keys()];

  if (options.mode === 'plan') {
    const plans = planned.map((entry) => entry.plan);
    return { status: 'planned', accounts: ordered([...planReports(), ...failed]).map(mark), deletionGuard, mayHoldRoles: allIds, plans };
  }
  if (!deletionGuard.allowed) {
    options.logger?.error('deletion guard refused the run', { ...deletionGuard });
    return { status: 'refused', accounts: ordered([...planReports().map(nothingDone), ...failed]).map(mark), deletionGuard, mayHoldRoles: allIds };
  }

  const applied = await Promise.all(
    planned.map(({ session, plan, name }) =>
      limit(async () => {
        if (isEmptyPlan(plan)) return { ...emptyAccountReport(plan.accountId, name || undefined), conflicts: plan.conflicts };
        return applyAccountPlan(memberAccountIam(options.access, session), plan, name || undefined);
      }),
    ),
  );
  const accounts = ordered([...applied, ...failed]).map(mark);
  const clean = accounts.every((a) => a.error === undefined && a.failed.length === 0 && a.conflicts.length === 0);
  const emptied = new Set(accounts.filter((a) => a.retired && a.error === undefined && a.failed.length === 0).map((a) => a.accountId));
  return { status: clean ? 'applied' : 'partial', accounts, deletionGuard, mayHoldRoles: allIds.filter((id) => !emptied.has(id)) };
}

/** A refused run did nothing: keep what it would have done out of created/updated/deleted. */
function nothingDone(report: AccountReport): AccountReport {
  return { ...report, created: [], updated: [], deleted: [] };
}

function ordered(reports: AccountReport[]): AccountReport[] {
  return reports.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}
