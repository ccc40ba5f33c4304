/**
 * One reconcile run, as the bucket Lambda, the CLI and the local stack call it: take the lock,
 * read the committed policy files, validate, converge every member account, write the report,
 * publish the applied policy for the API, let go of the lock. `planReconcile` computes the same
 * without writing anything. Accounts dropped from the inventory are remembered in the bucket and
 * visited until their managed roles are gone.
 */
import { randomUUID } from 'node:crypto';
import type { Partition } from '../../shared/console/partitions.ts';
import { availabilityAfterRun, type Availability } from '../../shared/plan/availability.ts';
import { DELETION_GUARD_RULES } from '../../shared/plan/deletion-guard.ts';
import { assignedSets } from '../../shared/plan/desired-roles.ts';
import { inPublishedOrder } from '../../shared/plan/published-policy.ts';
import { roleNameFor } from '../../shared/naming.ts';
import { summarize, type AccountReport, type ReconcileReport } from '../../shared/plan/report.ts';
import { federationTrustOf, trustPolicyLength } from '../../shared/iam/trust-policy.ts';
import { discoveryRequested, loadPolicy } from '../../shared/policy/load-policy.ts';
import type { AccountPlan } from '../../shared/plan/model.ts';
import type { Account, Policy } from '../../shared/policy/model.ts';
import type { PolicyFile, Problem } from '../../shared/policy/problem.ts';
import type { BucketLock } from '../bucket/lock.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import type { AppLogger } from '../logging.ts';
import type { MemberAccountClients } from './account-access.ts';
import type { ReconcileGrants } from '../elevation/grants-at-reconcile.ts';
import type { RoleRevocation } from '../../shared/plan/revocations.ts';
import { reconcileAccounts, type AccountsOutcome, type ReconcileAccountsOptions } from './reconcile-accounts.ts';
import { errorText } from '../../shared/error-text.ts';
import { needsBatches, splitIntoBatches } from '../../shared/plan/batches.ts';
import { deletionGuardForPush } from '../../shared/plan/push-guard.ts';
import type { BatchQueue } from './batch-queue.ts';
import type { StateTable } from '../state/state-table.ts';

/** Generations older than this, neither committed nor just applied, are pruned after a run. */
const GENERATION_GRACE_MS = 60 * 60_000;

export interface ReconcileDeps {
  bucket: PolicyBucket;
  /** The STS and IAM clients member accounts are reached with (built by backend/assemble/). */
  memberAccounts: MemberAccountClients;
  identityPoolId: string;
  /** The identity pool's developer provider: every managed role's trust policy names it. */
  developerProvider: string;
  /** Role the reconciler assumes in every member account, optionally with its path. */
  accessRoleName: string;
  /** Accounts worked on at once. */
  concurrency: number;
  /** Largest share of managed roles one run may delete without allowMassDeletion. */
  deletionGuardShare: number;
  logger?: AppLogger;
  /** Account inventory from AWS Organizations, used when settings say discoverAccounts. */
  discoverAccounts?: () => Promise<Account[]>;
  /** Converges the member accounts (default: reconcileAccounts over STS and IAM); unit tests replace it. */
  convergeAccounts?: (policy: Parameters<typeof reconcileAccounts>[0], options: ReconcileAccountsOptions) => Promise<AccountsOutcome>;
  /** Also read description and session length of managed roles (one ListRoles per account); default true. */
  readRoleSettings?: boolean;
  /** A lock older than this is presumed abandoned; the reconcile Lambda's timeout stays below it (checked by a test). */
  lockTtlMs: number;
  /**
   * Elevation's grants (backend/elevation/grants-at-reconcile.ts), when the state table is configured: an
   * applying run ends the grants its policy no longer offers, and every run denies revoked grants' sessions.
   */
  grants?: ReconcileGrants;
  /** How long a run waits for a held lock before deferring to its holder (default 0: defer at once). */
  lockWaitMs?: number;
  partition: Partition;
  /** Splits a run of more accounts than one batch into batches on a queue (run-batch.ts consumes them); unset: one invocation. */
  batching?: ReconcileBatching;
}

/** A run over more than `accounts` accounts goes to the queue in batches (docs/architecture.md, "Batches of accounts on a queue"). */
export interface ReconcileBatching {
  /** Accounts in one batch. */
  accounts: number;
  queue: BatchQueue;
  /** Where batches count themselves done (backend/state/layout.ts). */
  state: StateTable;
}

const MAX_ROUNDS = 10;

/** Applies the committed policy files to every member account; serialized by the bucket lock. */
export async function runReconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const runId = randomUUID();
  const lock = deps.bucket.lock(deps.lockTtlMs);
  const deadline = Date.now() + (deps.lockWaitMs ?? 0);
  let last: ReconcileReport | undefined;
  for (;;) {
    if (!(await acquireOrDefer(lock, runId, deadline))) {
      if (last) return last;
      deps.logger?.info('reconcile deferred to the run holding the lock', { runId });
      return emptyReport(runId, 'apply', 'deferred');
    }
    let handedOver = false;
    try {
      let rounds = 0;
      do {
        await lock.clearRerunRequest();
        last = (await reconcileOnce(deps, runId, 'apply')).report;
        // Split into batches: the lock stays with the run, and its last batch writes the report and lets go (run-batch.ts).
        if (last.status === 'batched') {
          handedOver = true;
          return last;
        }
        await deps.bucket.writeReport(last);
      } while (++rounds < MAX_ROUNDS && (await lock.rerunRequested()));
      await pruneGenerations(deps, last);
    } finally {
      if (!handedOver) await lock.release();
    }
    // A request made after our last check but before the release: serve it unless another run does.
    if (!(await lock.rerunRequested())) return last;
  }
}

/** A planner needs the bucket only to read committed files or the retired-accounts state, and takes no lock. */
export type PlanDeps = Omit<ReconcileDeps, 'bucket' | 'lockTtlMs' | 'lockWaitMs'> & { bucket?: PolicyBucket };

/** What a run would do with these files (default: the committed ones), without writing anything. */
export async function planReconcile(deps: PlanDeps, files?: PolicyFile[]): Promise<ReconcileReport> {
  return (await planPolicy(deps, files)).report;
}

/** What a plan found: its report, the policy of the files (when valid), and each readable account's plan. */
export interface PolicyPlan {
  report: ReconcileReport;
  policy?: Policy;
  plans: AccountPlan[];
}

/** planReconcile, with what `switchyard policy plan` shows beyond the report: old and new values. */
export async function planPolicy(deps: PlanDeps, files?: PolicyFile[]): Promise<PolicyPlan> {
  return reconcileOnce(deps, randomUUID(), 'plan', files);
}

async function acquireOrDefer(lock: BucketLock, runId: string, deadline: number): Promise<boolean> {
  if (await lock.tryAcquire(runId)) return true;
  await lock.requestRerun(runId);
  for (;;) {
    // The holder may have let go between our first try and the request: then nobody would see it.
    if (await lock.tryAcquire(runId)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, left)));
  }
}

async function reconcileOnce(deps: PlanDeps, runId: string, mode: 'apply' | 'plan', givenFiles?: PolicyFile[]): Promise<PolicyPlan> {
  const startedAt = new Date().toISOString();
  let files = givenFiles;
  let generation: string | undefined;
  if (!files) {
    if (!deps.bucket) throw new Error('planning the committed files needs the policy bucket');
    const committed = await deps.bucket.readCommittedFiles();
    if (!committed) {
      const problem: Problem = {
        file: deps.bucket.layout.commit,
        line: 1,
        column: 1,
        severity: 'error',
        message: `no policy has been pushed to ${deps.bucket.location} yet: push one with \`switchyard policy push DIR\``,
      };
      return { report: finish(deps, { ...emptyReport(runId, mode, 'invalid'), startedAt, problems: [problem] }), plans: [] };
    }
    files = committed.files;
    generation = committed.generation;
  }
  const base = { ...emptyReport(runId, mode, 'invalid'), startedAt, ...(generation ? { generation } : {}) };

  let discovered: Account[] | undefined;
  if (discoveryRequested(files)) {
    try {
      if (!deps.discoverAccounts) throw new Error('this reconciler was assembled without access to AWS Organizations');
      discovered = await deps.discoverAccounts();
    } catch (error) {
      const problem: Problem = {
        file: 'settings.yaml',
        line: 1,
        column: 1,
        severity: 'error',
        message: `cannot discover accounts from AWS Organizations: ${errorText(error)}`,
      };
      return { report: finish(deps, { ...base, problems: [problem] }), plans: [] };
    }
  }
  const loaded = loadPolicy(files, {
    ...(deps.partition ? { partition: deps.partition } : {}),
    discoveredAccounts: discovered,
    trustPolicyLength: (set) => trustPolicyLength({ ...federationTrustOf(deps), accountId: '000000000000', permissionSet: set.name }),
  });
  if (!loaded.policy) return { report: finish(deps, { ...base, problems: loaded.problems }), plans: [] };

  const now = Date.now();
  const revocations = await grantsToDeny(deps, loaded.policy, mode, generation, now);
  const inventory = new Set(loaded.policy.accounts.map((account) => account.id));
  const retiredAccountIds = (await readAccountsState(deps)).filter((id) => !inventory.has(id));
  if (mode === 'apply' && deps.bucket && deps.batching && needsBatches(inventory.size + retiredAccountIds.length, deps.batching.accounts)) {
    const split = { ...base, problems: loaded.problems };
    const report = await splitIntoQueue(
      { ...deps, bucket: deps.bucket, batching: deps.batching },
      split,
      loaded.policy,
      retiredAccountIds,
      revocations,
    );
    return { report: finish(deps, report), policy: loaded.policy, plans: [] };
  }
  const converge = deps.convergeAccounts ?? reconcileAccounts;
  const outcome = await converge(loaded.policy, convergeOptions(deps, mode, { retiredAccountIds, revocations, now }));
  if (mode === 'apply' && deps.bucket) {
    await deps.bucket.writeAccountsState(outcome.mayHoldRoles);
    if (outcome.status === 'applied' || outcome.status === 'partial') {
      // The API offers only the pairs known to work; an account that failed as a whole keeps what it had.
      const available = availabilityAfterRun({
        wanted: new Map(
          [...assignedSets(loaded.policy)].map(([id, sets]) => [
            id,
            sets.map((set) => ({ permissionSet: set.name, roleName: roleNameFor(set.name) })),
          ]),
        ),
        accounts: outcome.accounts,
        previous: await previousAvailability(deps),
      });
      const { historyProblem } = await deps.bucket.publishPolicy({
        policy: inPublishedOrder(loaded.policy),
        available,
        generation,
        runId,
        publishedAt: new Date().toISOString(),
      });
      if (historyProblem) deps.logger?.warn('cannot keep this publication for reports on past generations', { generation, reason: historyProblem });
    }
  }
  const report = finish(deps, {
    ...base,
    status: outcome.status,
    problems: loaded.problems,
    deletionGuard: outcome.deletionGuard,
    accounts: outcome.accounts,
    summary: summarize(outcome.accounts),
  });
  return { report, policy: loaded.policy, plans: outcome.plans ?? [] };
}

/** How every run converges its accounts; a batch adds its `accountIds`. */
export function convergeOptions(
  deps: PlanDeps,
  mode: 'apply' | 'plan',
  run: { retiredAccountIds: string[]; revocations: readonly RoleRevocation[]; now: number; accountIds?: readonly string[] },
): ReconcileAccountsOptions {
  return {
    ...run,
    access: {
      clients: deps.memberAccounts,
      accessRoleName: deps.accessRoleName,
      partition: deps.partition,
    },
    trust: federationTrustOf(deps),
    mode,
    concurrency: deps.concurrency,
    deletionGuard: { ...DELETION_GUARD_RULES, maxShare: deps.deletionGuardShare },
    readRoleSettings: deps.readRoleSettings,
    logger: deps.logger,
  };
}

/**
 * The run holding the lock splits its accounts into batches: the deletion guard over the whole run first
 * (counted against the published policy, as a push counts it), then the plan every batch reads, then one
 * queue message per batch. Nothing is written to a member account here.
 */
async function splitIntoQueue(
  deps: PlanDeps & { bucket: PolicyBucket; batching: ReconcileBatching },
  base: ReconcileReport,
  policy: Policy,
  retiredAccountIds: string[],
  revocations: RoleRevocation[],
): Promise<ReconcileReport> {
  const published = await deps.bucket.readPublishedPolicy().catch(() => undefined);
  const previous = typeof published === 'object' ? published : undefined;
  const deletionGuard = deletionGuardForPush(previous?.policy, policy, federationTrustOf(deps), {
    ...DELETION_GUARD_RULES,
    maxShare: deps.deletionGuardShare,
  });
  if (!deletionGuard.allowed) {
    deps.logger?.error('deletion guard refused the run', { ...deletionGuard });
    return { ...base, status: 'refused', deletionGuard };
  }
  const batches = splitIntoBatches(
    { runId: base.runId, ...(base.generation ? { generation: base.generation } : {}) },
    [...assignedSets(policy).keys()],
    retiredAccountIds,
    deps.batching.accounts,
  );
  await deps.bucket.writeRunPlan({
    runId: base.runId,
    ...(base.generation ? { generation: base.generation } : {}),
    startedAt: base.startedAt,
    batches: batches.length,
    problems: base.problems,
    deletionGuard,
    guardedByRun: previous !== undefined,
    revocations,
    published: {
      policy: inPublishedOrder(policy),
      available: previous?.available ?? {},
      ...(base.generation ? { generation: base.generation } : {}),
      runId: base.runId,
      publishedAt: base.startedAt,
    },
  });
  await deps.batching.queue.send(batches);
  deps.logger?.info('reconcile split into batches on the queue', { runId: base.runId, batches: batches.length, accounts: deps.batching.accounts });
  return { ...base, status: 'batched', deletionGuard };
}

/**
 * Elevation at this run: an applying run first revokes the active grants its policy no longer offers (they
 * end at this publish); then the revoked grants whose sessions may still live. A state table that cannot be
 * read costs nothing but this: the roles keep the denies they have (shared/plan/revocations.ts).
 */
async function grantsToDeny(
  deps: PlanDeps,
  policy: Policy,
  mode: 'apply' | 'plan',
  generation: string | undefined,
  now: number,
): Promise<RoleRevocation[]> {
  const grants = deps.grants;
  if (!grants) return [];
  if (mode === 'apply') {
    try {
      const ended = await grants.endIneligible(policy, generation, now);
      if (ended.length > 0)
        deps.logger?.info('grants ended: the policy no longer offers their pair', { requests: ended.map((request) => request.id) });
    } catch (error) {
      deps.logger?.warn('cannot end the grants this policy no longer offers; the next run tries again', { reason: errorText(error) });
    }
  }
  try {
    return await grants.revocations(now);
  } catch (error) {
    deps.logger?.warn('cannot read revoked grants; roles keep the denies they have', { reason: errorText(error) });
    return [];
  }
}

/** What the last publication said was available; nothing when there is none, or it predates availability, or it is unreadable. */
async function previousAvailability(deps: PlanDeps): Promise<Availability | undefined> {
  try {
    const published = await deps.bucket?.readPublishedPolicy();
    return typeof published === 'object' ? published.available : undefined;
  } catch (error) {
    deps.logger?.warn('cannot read the last published policy; accounts that fail this run offer none of their roles', {
      reason: errorText(error),
    });
    return undefined;
  }
}

async function readAccountsState(deps: PlanDeps): Promise<string[]> {
  if (!deps.bucket) return [];
  try {
    return await deps.bucket.readAccountsState();
  } catch (error) {
    deps.logger?.warn('cannot read the accounts state; accounts dropped from the inventory keep their roles this run', {
      reason: errorText(error),
    });
    return [];
  }
}

/** The lock holder removes generations nobody needs: neither committed, nor just applied, nor still uploading. */
export async function pruneGenerations(deps: ReconcileDeps, last: ReconcileReport | undefined): Promise<void> {
  try {
    const current = await deps.bucket.readCommit();
    const keep = [current?.commit.generation, last?.generation].filter((generation): generation is string => generation !== undefined);
    const pruned = await deps.bucket.pruneGenerations(keep, new Date(Date.now() - GENERATION_GRACE_MS));
    if (pruned.length > 0) deps.logger?.info('pruned old policy generations', { generations: pruned });
    // Runs split into batches leave a plan and parts; the lock holder's run is whole by now, any other was abandoned.
    await deps.bucket.deleteRuns();
  } catch (error) {
    deps.logger?.warn('cannot prune old policy generations', { reason: errorText(error) });
  }
}

/**
 * Accounts a report's log line lists at most. The whole report goes to the bucket (report.json); a log
 * event may be at most 1 MB (CloudWatch Logs, PutLogEvents), and 10,000 accounts' entries are more.
 */
export const LOGGED_ACCOUNTS = 100;

export function finish(deps: PlanDeps, report: ReconcileReport): ReconcileReport {
  const done = { ...report, finishedAt: new Date().toISOString() };
  const log = done.status === 'applied' || done.status === 'planned' || done.status === 'batched' ? deps.logger?.info : deps.logger?.warn;
  log?.call(deps.logger, 'reconcile report', { report: loggedReport(done) });
  return done;
}

/** The report as its log line carries it: failing accounts first, then changed ones, LOGGED_ACCOUNTS at most, and how many more the bucket's copy has. */
function loggedReport(report: ReconcileReport): ReconcileReport & { accountsNotLogged?: number } {
  const failing = (a: AccountReport) => a.error !== undefined || a.failed.length > 0 || a.conflicts.length > 0;
  const changed = (a: AccountReport) => a.created.length + a.updated.length + a.deleted.length > 0;
  const worth = [...report.accounts.filter(failing), ...report.accounts.filter((a) => !failing(a) && changed(a))];
  if (report.accounts.length <= LOGGED_ACCOUNTS) return report;
  const accounts = worth.slice(0, LOGGED_ACCOUNTS);
  return { ...report, accounts, accountsNotLogged: report.accounts.length - accounts.length };
}

function emptyReport(runId: string, mode: 'apply' | 'plan', status: ReconcileReport['status']): ReconcileReport {
  const now = new Date().toISOString();
  return { version: 1, runId, mode, status, startedAt: now, finishedAt: now, problems: [], accounts: [], summary: summarize([]) };
}
