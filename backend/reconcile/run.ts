/**
 * One reconcile run, as the bucket Lambda, the CLI and the local stack call it: take the lock,
 * read every policy file from the bucket, validate, converge every member account, write the
 * report next to the files, publish the applied policy for the API, let go of the lock.
 * `planReconcile` computes the same without writing anything. Accounts dropped from the inventory
 * are remembered (`_switchyard/accounts.json`) and visited until their managed roles are gone.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_DELETION_GUARD } from '../../shared/plan/deletion-guard.ts';
import { summarize, type ReconcileReport } from '../../shared/plan/report.ts';
import { trustPolicyLength } from '../../shared/plan/trust-policy.ts';
import { discoveryRequested, loadPolicy } from '../../shared/policy/load-policy.ts';
import type { Account } from '../../shared/policy/model.ts';
import type { PolicyFile, Problem } from '../../shared/policy/problem.ts';
import type { CallCounter } from '../aws/call-counter.ts';
import { createOrganizationsClient, createS3Client, type AwsSettings } from '../aws/clients.ts';
import type { AppLogger } from '../logging.ts';
import { discoverAccounts } from '../policy/organizations-accounts.ts';
import { publishPolicy, PUBLISHED_POLICY_KEY } from '../policy/published-policy.ts';
import { controlKey, readPolicyFiles } from '../policy/s3-policy-source.ts';
import { DEFAULT_ACCESS_ROLE_NAME, errorMessage } from './account-access.ts';
import { BucketLock } from './lock.ts';
import { reconcileAccounts } from './reconcile-accounts.ts';

export const REPORT_NAME = 'report.json';
export const LOCK_NAME = 'lock.json';
export const RERUN_NAME = 'rerun.json';
/** Accounts that may hold managed roles, so one dropped from the inventory still gets cleaned up. */
export const ACCOUNTS_STATE_NAME = 'accounts.json';

export interface ReconcileDeps {
  /** AWS settings of the reconciler itself (management account; the Lambda's role in production). */
  settings: AwsSettings;
  bucket: string;
  /** Folder of the policy files in the bucket ("" or ending in "/"). */
  prefix?: string;
  identityPoolId: string;
  /** Role the reconciler assumes in every member account (default SwitchyardReconcilerAccess). */
  accessRoleName?: string;
  /** Accounts worked on at once (default 10). */
  concurrency?: number;
  /** Largest share of managed roles one run may delete without allowMassDeletion (default 0.25). */
  deletionGuardShare?: number;
  logger?: AppLogger;
  /** Account inventory from AWS Organizations, used when settings say discoverAccounts (default: Organizations via `settings`). */
  discoverAccounts?: () => Promise<Account[]>;
  /** Counts every AWS call by account and operation (tests, benchmark). */
  callCounter?: CallCounter;
  /** Also read description and session length of managed roles (one ListRoles per account); default true. */
  readRoleSettings?: boolean;
  /** A lock older than this is presumed abandoned (default 15 min, the Lambda limit). */
  lockTtlMs?: number;
  /** How long a run waits for a held lock before deferring to its holder (default 0: defer at once). */
  lockWaitMs?: number;
  partition?: string;
}

const MAX_ROUNDS = 10;

/** Applies the policy files in the bucket to every member account; serialized by the bucket lock. */
export async function runReconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const s3 = s3For(deps);
  const runId = randomUUID();
  const lock = new BucketLock({
    s3,
    bucket: deps.bucket,
    lockKey: controlKey(deps, LOCK_NAME),
    rerunKey: controlKey(deps, RERUN_NAME),
    ttlMs: deps.lockTtlMs ?? 15 * 60_000,
  });
  const deadline = Date.now() + (deps.lockWaitMs ?? 0);
  let last: ReconcileReport | undefined;
  for (;;) {
    if (!(await acquireOrDefer(lock, runId, deadline))) {
      if (last) return last;
      const deferred = emptyReport(runId, 'apply', 'deferred');
      deps.logger?.info('reconcile deferred to the run holding the lock', { runId });
      return deferred;
    }
    try {
      let rounds = 0;
      do {
        await lock.clearRerunRequest();
        last = await reconcileOnce(deps, s3, runId, 'apply');
        await writeReport(deps, s3, last);
      } while (++rounds < MAX_ROUNDS && (await lock.rerunRequested()));
    } finally {
      await lock.release();
    }
    // A request made after our last check but before the release: serve it unless another run does.
    if (!(await lock.rerunRequested())) return last;
  }
}

/** What a run would do with these files (default: the bucket's), without writing anything. */
export async function planReconcile(deps: ReconcileDeps, files?: PolicyFile[]): Promise<ReconcileReport> {
  return reconcileOnce(deps, s3For(deps), randomUUID(), 'plan', files);
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

async function reconcileOnce(
  deps: ReconcileDeps,
  s3: S3Client,
  runId: string,
  mode: 'apply' | 'plan',
  givenFiles?: PolicyFile[],
): Promise<ReconcileReport> {
  const startedAt = new Date().toISOString();
  const files = givenFiles ?? (await readPolicyFiles({ s3, bucket: deps.bucket, prefix: deps.prefix }));
  let discovered: Account[] | undefined;
  if (discoveryRequested(files)) {
    try {
      discovered = await (deps.discoverAccounts ?? (() => discoverAccounts(createOrganizationsClient(deps.settings))))();
    } catch (error) {
      const problem: Problem = { file: 'settings.yaml', line: 1, column: 1, severity: 'error', message: `cannot discover accounts from AWS Organizations: ${errorMessage(error)}` };
      return finish(deps, { ...emptyReport(runId, mode, 'invalid'), startedAt, problems: [problem] });
    }
  }
  const loaded = loadPolicy(files, {
    discoveredAccounts: discovered,
    trustPolicyLength: (set) => trustPolicyLength({ identityPoolId: deps.identityPoolId, accountId: '000000000000', permissionSet: set.name }),
  });
  if (!loaded.policy) {
    return finish(deps, { ...emptyReport(runId, mode, 'invalid'), startedAt, problems: loaded.problems });
  }

  const inventory = new Set(loaded.policy.accounts.map((account) => account.id));
  const retiredAccountIds = (await readAccountsState(deps, s3)).filter((id) => !inventory.has(id));
  const outcome = await reconcileAccounts(loaded.policy, {
    retiredAccountIds,
    access: { settings: deps.settings, accessRoleName: deps.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME, partition: deps.partition, callCounter: deps.callCounter },
    identityPoolId: deps.identityPoolId,
    mode,
    concurrency: deps.concurrency ?? 10,
    deletionGuard: { ...DEFAULT_DELETION_GUARD, maxShare: deps.deletionGuardShare ?? DEFAULT_DELETION_GUARD.maxShare },
    readRoleSettings: deps.readRoleSettings,
    logger: deps.logger,
  });
  if (mode === 'apply') await writeAccountsState(deps, s3, outcome.mayHoldRoles);
  if (mode === 'apply' && (outcome.status === 'applied' || outcome.status === 'partial')) {
    await publishPolicy({ s3, bucket: deps.bucket, key: `${deps.prefix ?? ''}${PUBLISHED_POLICY_KEY}` }, loaded.policy);
  }
  return finish(deps, {
    ...emptyReport(runId, mode, outcome.status),
    startedAt,
    problems: loaded.problems,
    deletionGuard: outcome.deletionGuard,
    accounts: outcome.accounts,
    summary: summarize(outcome.accounts),
  });
}

function finish(deps: ReconcileDeps, report: ReconcileReport): ReconcileReport {
  const done = { ...report, finishedAt: new Date().toISOString() };
  const log = done.status === 'applied' || done.status === 'planned' ? deps.logger?.info : deps.logger?.warn;
  log?.call(deps.logger, 'reconcile report', { report: done });
  return done;
}

async function writeReport(deps: ReconcileDeps, s3: S3Client, report: ReconcileReport): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: controlKey(deps, REPORT_NAME),
      Body: `${JSON.stringify(report, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}

async function readAccountsState(deps: ReconcileDeps, s3: S3Client): Promise<string[]> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: controlKey(deps, ACCOUNTS_STATE_NAME) }));
    const state = JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as { accounts?: unknown };
    return Array.isArray(state.accounts) ? state.accounts.filter((id): id is string => typeof id === 'string' && /^\d{12}$/.test(id)) : [];
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey') deps.logger?.warn('cannot read the accounts state; accounts dropped from the inventory keep their roles this run', { reason: errorMessage(error) });
    return [];
  }
}

async function writeAccountsState(deps: ReconcileDeps, s3: S3Client, accounts: string[]): Promise<void> {
  const body = `${JSON.stringify({ accounts: [...accounts].sort() }, null, 2)}\n`;
  await s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: controlKey(deps, ACCOUNTS_STATE_NAME), Body: body, ContentType: 'application/json' }));
}

function emptyReport(runId: string, mode: 'apply' | 'plan', status: ReconcileReport['status']): ReconcileReport {
  const now = new Date().toISOString();
  return { version: 1, runId, mode, status, startedAt: now, finishedAt: now, problems: [], accounts: [], summary: summarize([]) };
}

function s3For(deps: ReconcileDeps): S3Client {
  const s3 = createS3Client(deps.settings);
  deps.callCounter?.attach(s3, 'management');
  return s3;
}
