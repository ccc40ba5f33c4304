/**
 * Reconciler settings from the environment (Lambda and CLI alike):
 *   SWITCHYARD_POLICY_BUCKET           bucket holding the policy files
 *   SWITCHYARD_POLICY_PREFIX           folder of the files in the bucket (default: the whole bucket)
 *   SWITCHYARD_IDENTITY_POOL_ID        the identity pool every managed role trusts
 *   SWITCHYARD_ACCESS_ROLE_NAME        role assumed in each member account (default SwitchyardReconcilerAccess)
 *   SWITCHYARD_RECONCILE_CONCURRENCY   accounts worked on at once (default 10)
 *   SWITCHYARD_DELETION_GUARD_SHARE    largest share of managed roles one run may delete (default 0.25)
 * plus the AWS settings of backend/aws/clients.ts (AWS_REGION, SWITCHYARD_AWS_ENDPOINT, ...).
 */
import { awsSettingsFromEnv } from '../aws/clients.ts';
import { numberEnv, requiredEnv } from '../config/env.ts';
import { DEFAULT_ACCESS_ROLE_NAME } from './account-access.ts';
import type { ReconcileDeps } from './run.ts';

/** `bucket` is "" when SWITCHYARD_POLICY_BUCKET is unset and `needBucket` is false (plan of a local folder). */
export function reconcileDepsFromEnv(env: NodeJS.ProcessEnv, needBucket = true): ReconcileDeps {
  return {
    settings: awsSettingsFromEnv(env),
    bucket: needBucket ? requiredEnv(env, 'SWITCHYARD_POLICY_BUCKET') : (env.SWITCHYARD_POLICY_BUCKET ?? ''),
    prefix: env.SWITCHYARD_POLICY_PREFIX ?? '',
    identityPoolId: requiredEnv(env, 'SWITCHYARD_IDENTITY_POOL_ID'),
    accessRoleName: env.SWITCHYARD_ACCESS_ROLE_NAME || DEFAULT_ACCESS_ROLE_NAME,
    concurrency: numberEnv(env, 'SWITCHYARD_RECONCILE_CONCURRENCY', 10),
    deletionGuardShare: numberEnv(env, 'SWITCHYARD_DELETION_GUARD_SHARE', 0.25),
  };
}
