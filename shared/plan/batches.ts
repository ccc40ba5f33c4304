/**
 * A reconcile split across invocations (docs/architecture.md, "Batches of accounts on a queue"): the run
 * that holds the lock splits the accounts into batches, one queue message each; the reconcile Lambda
 * converges one batch per message; the batch that completes the count puts the parts together into the
 * one report. This file is the pure part: the split, the message, a batch's part of the report, and the
 * whole put back together.
 */
import { z } from 'zod';
import type { DeletionGuardVerdict } from './deletion-guard.ts';
import { emptyAccountReport, type AccountReport, type RunStatus } from './report.ts';

/** One batch of one run: what a queue message carries. */
export const BatchMessageSchema = z.object({
  runId: z.string().regex(/^[\w-]{1,64}$/),
  /** The generation of policy files the run read; a batch of any other run or generation is stale. */
  generation: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
  index: z.number().int().min(0),
  /** How many batches the run has: the count that finishes it. */
  batches: z.number().int().min(1),
  accountIds: z.array(z.string().regex(/^\d{12}$/)),
  /** Accounts dropped from the inventory that may still hold managed roles: visited only to remove them. */
  retiredAccountIds: z.array(z.string().regex(/^\d{12}$/)),
});
export type BatchMessage = z.infer<typeof BatchMessageSchema>;

/** The inventory's accounts, then the retired ones, in batches of at most `size` accounts, in order. */
export function splitIntoBatches(
  run: { runId: string; generation?: string },
  accountIds: readonly string[],
  retiredAccountIds: readonly string[],
  size: number,
): BatchMessage[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('a batch holds a whole number of accounts, at least 1');
  const retired = new Set(retiredAccountIds);
  const all = [...accountIds.filter((id) => !retired.has(id)), ...retiredAccountIds];
  const count = Math.max(1, Math.ceil(all.length / size));
  return Array.from({ length: count }, (_, index) => {
    const ids = all.slice(index * size, (index + 1) * size);
    return {
      runId: run.runId,
      ...(run.generation !== undefined ? { generation: run.generation } : {}),
      index,
      batches: count,
      accountIds: ids.filter((id) => !retired.has(id)),
      retiredAccountIds: ids.filter((id) => retired.has(id)),
    };
  });
}

/** Whether a run's accounts are more than one invocation is given: the inventory and the retired accounts together. */
export function needsBatches(accounts: number, batchAccounts: number | undefined): boolean {
  return batchAccounts !== undefined && accounts > batchAccounts;
}

/** One batch's part of the report. `failed`: the batch itself failed every attempt the queue allows (its accounts were not converged). */
export interface BatchOutcome {
  index: number;
  status: 'applied' | 'partial' | 'refused' | 'failed';
  accounts: AccountReport[];
  deletionGuard: DeletionGuardVerdict;
  /** Accounts of this batch that may hold managed roles after it (retired accounts emptied are not). */
  mayHoldRoles: string[];
}

/** The part of a batch that failed every attempt: each of its accounts failed, named, with the reason. */
export function failedBatchOutcome(batch: BatchMessage, names: ReadonlyMap<string, string>, maxShare: number): BatchOutcome {
  const reason = `not reconciled: its batch (${batch.index + 1} of ${batch.batches}) failed every attempt the queue allows; the reconcile Lambda's log says why`;
  const accounts = [...batch.accountIds, ...batch.retiredAccountIds].map((id) => {
    const report = emptyAccountReport(id, names.get(id) || undefined);
    report.error = reason;
    return batch.retiredAccountIds.includes(id) ? { ...report, retired: true as const } : report;
  });
  return {
    index: batch.index,
    status: 'failed',
    accounts,
    deletionGuard: { allowed: true, deletions: 0, managedRoles: 0, maxShare },
    mayHoldRoles: [...batch.accountIds, ...batch.retiredAccountIds],
  };
}

export interface CombinedBatches {
  status: Extract<RunStatus, 'applied' | 'partial' | 'refused'>;
  accounts: AccountReport[];
  deletionGuard: DeletionGuardVerdict;
  mayHoldRoles: string[];
}

/**
 * The batches' parts as one run: refused when every batch was refused, applied when every batch applied,
 * partial otherwise. A batch missing from `outcomes` is named by `expected` and its accounts reported as failed.
 */
export function combineBatches(outcomes: readonly BatchOutcome[], expected: number): CombinedBatches {
  const present = new Set(outcomes.map((outcome) => outcome.index));
  const missing = Array.from({ length: expected }, (_, index) => index).filter((index) => !present.has(index));
  if (missing.length > 0) throw new Error(`batches ${missing.map((index) => index + 1).join(', ')} of ${expected} have no part in the report`);
  const accounts = outcomes
    .flatMap((outcome) => outcome.accounts)
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  const verdicts = outcomes.map((outcome) => outcome.deletionGuard);
  const refused = verdicts.find((verdict) => !verdict.allowed);
  const deletionGuard: DeletionGuardVerdict = {
    allowed: refused === undefined,
    deletions: verdicts.reduce((sum, verdict) => sum + verdict.deletions, 0),
    managedRoles: verdicts.reduce((sum, verdict) => sum + verdict.managedRoles, 0),
    maxShare: verdicts[0]?.maxShare ?? 0,
    ...(refused?.reason ? { reason: refused.reason } : {}),
  };
  const status = outcomes.every((outcome) => outcome.status === 'refused')
    ? 'refused'
    : outcomes.every((outcome) => outcome.status === 'applied')
      ? 'applied'
      : 'partial';
  return { status, accounts, deletionGuard, mayHoldRoles: [...new Set(outcomes.flatMap((outcome) => outcome.mayHoldRoles))].sort() };
}
