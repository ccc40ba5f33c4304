/**
 * One batch of a reconcile split into batches (shared/plan/batches.ts), as the reconcile Lambda runs it for
 * a queue message: check the batch still belongs to the run holding the lock, converge its accounts
 * against the run's plan, put its part of the report in the bucket and count it done in the state table.
 * The batch that brings the count to the total makes the run whole: the one report, the accounts state, the
 * one published policy, and the lock let go; then it serves a rerun asked for meanwhile. A batch that
 * failed every attempt reaches the Lambda again from the dead-letter queue: its accounts are reported
 * failed, and it is counted like the others, so the run still ends whole.
 */
import { availabilityAfterRun } from '../../shared/plan/availability.ts';
import { combineBatches, failedBatchOutcome, type BatchMessage, type BatchOutcome } from '../../shared/plan/batches.ts';
import { assignedSets } from '../../shared/plan/desired-roles.ts';
import { summarize, type ReconcileReport } from '../../shared/plan/report.ts';
import { roleNameFor } from '../../shared/naming.ts';
import type { RunPlan } from '../bucket/policy-bucket.ts';
import { reconcileBatchDoneKey, reconcileBatchesDoneKey } from '../state/layout.ts';
import { StateConditionFailed } from '../state/state-table.ts';
import { reconcileAccounts } from './reconcile-accounts.ts';
import { convergeOptions, finish, pruneGenerations, runReconcile, type ReconcileBatching, type ReconcileDeps } from './run.ts';

/** How long a run's marks stay in the state table (a run that never ends whole leaves them to expire). */
const RUN_MARKS_SECONDS = 7 * 86_400;

export type BatchedDeps = ReconcileDeps & { batching: ReconcileBatching };

export type BatchResult =
  /** Not this run's any more (another run holds the lock, or it is already whole): nothing was done. */
  | { kind: 'stale'; reason: string }
  /**
   * Already counted (the queue delivered it again): its part was written again, nothing counted twice; `report`
   * when the count was already whole, so the delivery that made it whole had failed before the report.
   */
  | { kind: 'repeated'; outcome: BatchOutcome; report?: ReconcileReport }
  /** Counted; `report` when this batch made the run whole. */
  | { kind: 'counted'; outcome: BatchOutcome; done: number; report?: ReconcileReport };

/** Converges one batch's accounts against its run's plan. */
export async function reconcileBatch(deps: BatchedDeps, batch: BatchMessage): Promise<BatchResult> {
  const checked = await checkBatch(deps, batch);
  if ('kind' in checked) return checked;
  const { plan } = checked;
  const converge = deps.convergeAccounts ?? reconcileAccounts;
  // An account of the run's inventory is never emptied as retired, whatever a message says.
  const inventory = new Set(plan.published.policy.accounts.map((account) => account.id));
  const options = convergeOptions(deps, 'apply', {
    accountIds: batch.accountIds,
    retiredAccountIds: batch.retiredAccountIds.filter((id) => !inventory.has(id)),
    revocations: plan.revocations,
    now: Date.now(),
  });
  // The run's own count decided: a batch's share says nothing (a batch of retired accounts deletes all it holds).
  if (plan.guardedByRun) options.deletionGuard = { ...options.deletionGuard, maxShare: 1 };
  const outcome = await converge(plan.published.policy, options);
  const status = outcome.status === 'applied' || outcome.status === 'refused' ? outcome.status : 'partial';
  const part: BatchOutcome = {
    index: batch.index,
    status,
    accounts: outcome.accounts,
    deletionGuard: outcome.deletionGuard,
    mayHoldRoles: outcome.mayHoldRoles,
  };
  return count(deps, batch, plan, part);
}

/** A batch that failed every attempt (from the dead-letter queue): its accounts are reported failed, and it counts. */
export async function recordFailedBatch(deps: BatchedDeps, batch: BatchMessage): Promise<BatchResult> {
  const checked = await checkBatch(deps, batch);
  if ('kind' in checked) return checked;
  const { plan } = checked;
  const names = new Map(plan.published.policy.accounts.map((account) => [account.id, account.name]));
  deps.logger?.error('a batch of accounts failed every attempt: its accounts are reported failed', {
    runId: batch.runId,
    batch: batch.index,
    accounts: batch.accountIds.length + batch.retiredAccountIds.length,
  });
  return count(deps, batch, plan, failedBatchOutcome(batch, names, deps.deletionGuardShare));
}

/** The run's plan when the batch is still the run's: the plan is there, of the same generation, and the lock still the run's (extended now). */
async function checkBatch(deps: BatchedDeps, batch: BatchMessage): Promise<{ plan: RunPlan } | BatchResult> {
  const plan = await deps.bucket.readRunPlan(batch.runId);
  const stale = (reason: string): BatchResult => {
    deps.logger?.warn('a stale batch was dropped', { runId: batch.runId, batch: batch.index, reason });
    return { kind: 'stale', reason };
  };
  if (!plan) return stale('its run is already whole, or was abandoned');
  if (plan.generation !== batch.generation || plan.batches !== batch.batches) {
    return stale(`it names generation ${batch.generation ?? 'none'}, the run applies ${plan.generation ?? 'none'}`);
  }
  if (!(await deps.bucket.lock(deps.lockTtlMs).extendFor(batch.runId))) return stale('another run holds the lock');
  return { plan };
}

async function count(deps: BatchedDeps, batch: BatchMessage, plan: RunPlan, part: BatchOutcome): Promise<BatchResult> {
  await deps.bucket.writeBatchOutcome(batch.runId, part);
  const expiresAt = Math.floor(Date.now() / 1000) + RUN_MARKS_SECONDS;
  try {
    await deps.batching.state.put({ ...reconcileBatchDoneKey(batch.runId, batch.index), expiresAt, data: {} }, { kind: 'absent' });
  } catch (error) {
    if (!(error instanceof StateConditionFailed)) throw error;
    const counted = await deps.batching.state.get<{ count?: number }>(reconcileBatchesDoneKey(batch.runId));
    if ((counted?.data.count ?? 0) < plan.batches) return { kind: 'repeated', outcome: part };
    return { kind: 'repeated', outcome: part, report: await makeWhole(deps, plan) };
  }
  const done = await deps.batching.state.increment(reconcileBatchesDoneKey(batch.runId), 1, expiresAt);
  if (done < plan.batches) return { kind: 'counted', outcome: part, done };
  return { kind: 'counted', outcome: part, done, report: await makeWhole(deps, plan) };
}

/** The last batch: every part into the one report, the accounts state and the one publication; the lock let go. */
async function makeWhole(deps: BatchedDeps, plan: RunPlan): Promise<ReconcileReport> {
  const combined = combineBatches(await deps.bucket.readBatchOutcomes(plan.runId), plan.batches);
  await deps.bucket.writeAccountsState(combined.mayHoldRoles);
  const policy = plan.published.policy;
  if (combined.status !== 'refused') {
    const wanted = new Map(
      [...assignedSets(policy)].map(([id, sets]) => [id, sets.map((set) => ({ permissionSet: set.name, roleName: roleNameFor(set.name) }))]),
    );
    const { historyProblem } = await deps.bucket.publishPolicy({
      ...plan.published,
      available: availabilityAfterRun({ wanted, accounts: combined.accounts, previous: plan.published.available }),
      publishedAt: new Date().toISOString(),
    });
    if (historyProblem) {
      deps.logger?.warn('cannot keep this publication for reports on past generations', { generation: plan.generation, reason: historyProblem });
    }
  }
  const report = finish(deps, {
    version: 1,
    runId: plan.runId,
    mode: 'apply',
    ...(plan.generation ? { generation: plan.generation } : {}),
    status: combined.status,
    startedAt: plan.startedAt,
    finishedAt: plan.startedAt,
    problems: plan.problems,
    deletionGuard: plan.guardedByRun ? plan.deletionGuard : combined.deletionGuard,
    accounts: combined.accounts,
    summary: summarize(combined.accounts),
  });
  await deps.bucket.writeReport(report);
  await pruneGenerations(deps, report);
  const lock = deps.bucket.lock(deps.lockTtlMs);
  await lock.releaseFor(plan.runId);
  // A push committed (or a grant revoked) while the batches ran asked for a rerun: it starts now.
  if (await lock.rerunRequested()) await runReconcile(deps);
  return report;
}
