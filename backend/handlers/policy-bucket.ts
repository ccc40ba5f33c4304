/**
 * Lambda entry of the reconciler: the policy bucket's ObjectCreated/ObjectRemoved events (and an
 * optional schedule, for drift repair) run one reconcile. Events about Switchyard's own objects
 * (report, lock, published policy) are ignored, or every report would trigger another run.
 *
 * Environment:
 *   SWITCHYARD_POLICY_BUCKET           bucket holding the policy files
 *   SWITCHYARD_POLICY_PREFIX           folder of the files in the bucket (default: the whole bucket)
 *   SWITCHYARD_IDENTITY_POOL_ID        the identity pool every managed role trusts
 *   SWITCHYARD_ACCESS_ROLE_NAME        role assumed in each member account (default SwitchyardReconcilerAccess)
 *   SWITCHYARD_RECONCILE_CONCURRENCY   accounts worked on at once (default 10)
 *   SWITCHYARD_DELETION_GUARD_SHARE    largest share of managed roles one run may delete (default 0.25)
 */
import { awsSettingsFromEnv } from '../aws/clients.ts';
import { numberEnv, requiredEnv } from '../config/env.ts';
import { createLogger, type AppLogger } from '../logging.ts';
import { isControlKey } from '../policy/s3-policy-source.ts';
import { DEFAULT_ACCESS_ROLE_NAME } from '../reconcile/account-access.ts';
import { runReconcile } from '../reconcile/run.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

export interface PolicyBucketHandlerDeps {
  bucket: string;
  prefix?: string;
  reconcile: () => Promise<ReconcileReport>;
  logger?: AppLogger;
}

/** The part of an S3 event notification (or of a scheduled event: no records) the handler reads. */
export interface PolicyBucketEvent {
  Records?: { eventName?: string; s3: { bucket: { name: string }; object: { key: string } } }[];
}

export type PolicyBucketResult = { ran: false; reason: string } | { ran: true; status: ReconcileReport['status']; runId: string; summary: ReconcileReport['summary'] };

export function makeHandler(deps: PolicyBucketHandlerDeps) {
  const prefix = deps.prefix ?? '';
  return async (event: PolicyBucketEvent): Promise<PolicyBucketResult> => {
    const records = event.Records ?? [];
    if (records.length > 0) {
      const keys = records
        .filter((record) => record.s3.bucket.name === deps.bucket)
        // Keys arrive URL-encoded, with "+" for spaces.
        .map((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
      const relevant = keys.filter((key) => key.startsWith(prefix) && !isControlKey(key, prefix));
      if (relevant.length === 0) {
        deps.logger?.debug('no policy file changed', { keys });
        return { ran: false, reason: 'no policy file changed' };
      }
      deps.logger?.info('policy files changed', { keys: relevant });
    }
    // No records: a scheduled invocation, which repairs drift.
    const report = await deps.reconcile();
    return { ran: true, status: report.status, runId: report.runId, summary: report.summary };
  };
}

let handlerInstance: ReturnType<typeof makeHandler> | undefined;

export async function handler(event: PolicyBucketEvent): Promise<PolicyBucketResult> {
  handlerInstance ??= productionHandler(process.env);
  return handlerInstance(event);
}

function productionHandler(env: NodeJS.ProcessEnv) {
  const logger = createLogger('switchyard-reconciler');
  const bucket = requiredEnv(env, 'SWITCHYARD_POLICY_BUCKET');
  const prefix = env.SWITCHYARD_POLICY_PREFIX ?? '';
  return makeHandler({
    bucket,
    prefix,
    logger,
    reconcile: () =>
      runReconcile({
        settings: awsSettingsFromEnv(env),
        bucket,
        prefix,
        identityPoolId: requiredEnv(env, 'SWITCHYARD_IDENTITY_POOL_ID'),
        accessRoleName: env.SWITCHYARD_ACCESS_ROLE_NAME || DEFAULT_ACCESS_ROLE_NAME,
        concurrency: numberEnv(env, 'SWITCHYARD_RECONCILE_CONCURRENCY', 10),
        deletionGuardShare: numberEnv(env, 'SWITCHYARD_DELETION_GUARD_SHARE', 0.25),
        logger,
      }),
  });
}
