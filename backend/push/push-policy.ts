/**
 * A push, as the CLI and the local stack make it: run every check the reconcile would run —
 * validation, account discovery, the deletion guard against the last applied policy — and only
 * then upload the files as one new generation and commit it. A refused folder uploads nothing.
 */
import type { Partition } from '../../shared/console/partitions.ts';
import { DELETION_GUARD_RULES, type DeletionGuardVerdict } from '../../shared/plan/deletion-guard.ts';
import { deletionGuardForPush } from '../../shared/plan/push-guard.ts';
import { federationTrustOf, trustPolicyLength } from '../../shared/iam/trust-policy.ts';
import { discoveryRequested, loadPolicy } from '../../shared/policy/load-policy.ts';
import type { Account, Policy } from '../../shared/policy/model.ts';
import type { PolicyFile, Problem } from '../../shared/policy/problem.ts';
import type { PolicyBucket, PushOutcome } from '../bucket/policy-bucket.ts';
import { errorText } from '../../shared/error-text.ts';

export interface PushDeps {
  bucket: PolicyBucket;
  identityPoolId: string;
  /** The identity pool's developer provider: every managed role's trust policy names it. */
  developerProvider: string;
  /** The deployment's partition: ARNs and regions of another one are refused before anything is uploaded. */
  partition: Partition;
  deletionGuardShare: number;
  discoverAccounts?: () => Promise<Account[]>;
}

export type PushCheck =
  | { ok: true; policy: Policy; problems: Problem[]; guard: DeletionGuardVerdict; commitEtag: string | null }
  | { ok: false; problems: Problem[]; reason: string; guard?: DeletionGuardVerdict };

export async function checkPush(deps: PushDeps, files: PolicyFile[]): Promise<PushCheck> {
  const commitEtag = (await deps.bucket.readCommit())?.etag ?? null;
  const trust = {
    trustPolicyLength: (set: { name: string }) =>
      trustPolicyLength({ ...federationTrustOf(deps), accountId: '000000000000', permissionSet: set.name }),
    ...(deps.partition ? { partition: deps.partition } : {}),
  };
  let discovered: Account[] | undefined;
  if (discoveryRequested(files)) {
    const offline = loadPolicy(files, trust);
    if (offline.problems.some((problem) => problem.severity === 'error')) return invalid(offline.problems);
    if (!deps.discoverAccounts)
      return {
        ok: false,
        problems: offline.problems,
        reason: 'settings.yaml asks for account discovery, but AWS Organizations cannot be reached from here',
      };
    try {
      discovered = await deps.discoverAccounts();
    } catch (error) {
      return {
        ok: false,
        problems: offline.problems,
        reason: `cannot discover accounts from AWS Organizations (${errorText(error)}); the reconcile could not either`,
      };
    }
  }
  const loaded = loadPolicy(files, { ...trust, discoveredAccounts: discovered });
  if (!loaded.policy || loaded.problems.some((problem) => problem.severity === 'error')) return invalid(loaded.problems);

  const applied = await deps.bucket.readPublishedPolicy();
  const guard = deletionGuardForPush(typeof applied === 'object' ? applied.policy : undefined, loaded.policy, federationTrustOf(deps), {
    ...DELETION_GUARD_RULES,
    maxShare: deps.deletionGuardShare,
  });
  if (!guard.allowed)
    return { ok: false, problems: loaded.problems, guard, reason: `the deletion guard would refuse this policy: ${guard.reason ?? ''}` };
  return { ok: true, policy: loaded.policy, problems: loaded.problems, guard, commitEtag };
}

export async function pushPolicy(
  deps: PushDeps,
  files: PolicyFile[],
  options: { committedBy?: string } = {},
): Promise<{ check: PushCheck; outcome?: PushOutcome }> {
  const check = await checkPush(deps, files);
  if (!check.ok) return { check };
  const outcome = await deps.bucket.push(files, {
    expectedCommitEtag: check.commitEtag,
    ...(options.committedBy ? { committedBy: options.committedBy } : {}),
  });
  return { check, outcome };
}

function invalid(problems: Problem[]): PushCheck {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return { ok: false, problems, reason: `policy is invalid (${errors} error${errors === 1 ? '' : 's'})` };
}
