/** The reconciler's part of the composition root (see bucket.ts): the bucket Lambda, `policy plan|push`, tests. */
import { createOrganizationsClient, type AwsSettings } from '../aws/clients.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import type { PlanConfig, ReconcilerConfig } from '../config/config.ts';
import { createLogger } from '../logging.ts';
import { discoverAccounts } from '../aws/organizations-accounts.ts';
import type { PlanDeps, ReconcileDeps } from '../reconcile/run.ts';
import { assemblePolicyBucket } from './bucket.ts';

/** What tests and the benchmark may add to or replace in an assembled reconciler. */
export type ReconcilerExtras = Partial<Omit<ReconcileDeps, 'bucket'>> & {
  bucket?: PolicyBucket;
  /** Static credentials (the local stack's moto); production uses the Lambda role's. */
  credentials?: AwsSettings['credentials'];
};

export function assembleReconciler(config: ReconcilerConfig, extras: ReconcilerExtras = {}): ReconcileDeps {
  const deps = planDeps(config, extras);
  return {
    ...deps,
    bucket: extras.bucket ?? assemblePolicyBucket(deps.settings, config.policy, extras.callCounter),
    lockTtlMs: extras.lockTtlMs ?? config.lockTtlMs,
  };
}

/** A planner of local folders: the bucket is used only when configured (for the retired-accounts state). */
export function assemblePlanner(config: PlanConfig, extras: ReconcilerExtras = {}): PlanDeps {
  const deps = planDeps(config, extras);
  const bucket = extras.bucket ?? (config.policy ? assemblePolicyBucket(deps.settings, config.policy, extras.callCounter) : undefined);
  return { ...deps, ...(bucket ? { bucket } : {}) };
}

function planDeps(config: PlanConfig, allExtras: ReconcilerExtras): Omit<ReconcileDeps, 'bucket'> {
  const { credentials, bucket: _bucket, ...extras } = allExtras;
  const settings = extras.settings ?? { ...config.aws, ...(credentials ? { credentials } : {}) };
  return {
    identityPoolId: config.identityPoolId,
    accessRoleName: config.accessRoleName,
    concurrency: config.concurrency,
    deletionGuardShare: config.deletionGuardShare,
    partition: config.aws.partition,
    discoverAccounts: () => discoverAccounts(createOrganizationsClient(settings)),
    ...extras,
    settings,
    logger: extras.logger ?? createLogger('switchyard-reconciler', config.logLevel),
  };
}
