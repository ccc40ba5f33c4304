/**
 * Lambda entry of the reconciler: the creation of the policy bucket's commit object (a finished
 * push) runs one reconcile, and so does a scheduled event (no records), which repairs drift. Every
 * other object event is ignored: uploads of a push still in progress, and Switchyard's own report,
 * lock and published policy, which would otherwise trigger run after run.
 */
import { assembleReconciler } from '../assemble/reconciler.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { reconcilerConfig } from '../config/config.ts';
import type { AppLogger } from '../logging.ts';
import { runReconcile } from '../reconcile/run.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

export interface ReconcilerHandlerDeps {
  bucketName: string;
  bucket: Pick<PolicyBucket, 'isCommitKey'>;
  reconcile: () => Promise<ReconcileReport>;
  logger?: AppLogger;
}

/** The part of an S3 event notification (or of a scheduled event: no records) the handler reads. */
export interface BucketEvent {
  Records?: { eventName?: string; s3: { bucket: { name: string }; object: { key: string } } }[];
}

export type ReconcilerResult =
  { ran: false; reason: string } | { ran: true; status: ReconcileReport['status']; runId: string; summary: ReconcileReport['summary'] };

export function makeHandler(deps: ReconcilerHandlerDeps) {
  return async (event: BucketEvent): Promise<ReconcilerResult> => {
    const records = event.Records ?? [];
    if (records.length > 0) {
      const keys = records
        .filter((record) => record.s3.bucket.name === deps.bucketName)
        .map((record) => decodeEventKey(record.s3.object.key))
        .filter((key): key is string => key !== undefined);
      if (!keys.some((key) => deps.bucket.isCommitKey(key))) {
        deps.logger?.debug('no push was committed', { keys });
        return { ran: false, reason: 'no push was committed' };
      }
      deps.logger?.info('a push was committed', { keys });
    }
    const report = await deps.reconcile();
    return { ran: true, status: report.status, runId: report.runId, summary: report.summary };
  };
}

/** Keys arrive URL-encoded, with "+" for spaces; one that does not decode cannot be our commit. */
function decodeEventKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

let handlerInstance: ReturnType<typeof makeHandler> | undefined;

export async function handler(event: BucketEvent): Promise<ReconcilerResult> {
  if (!handlerInstance) {
    const config = reconcilerConfig(process.env);
    const deps = assembleReconciler(config);
    handlerInstance = makeHandler({
      bucketName: config.policy.bucket,
      bucket: deps.bucket,
      logger: deps.logger,
      reconcile: () => runReconcile(deps),
    });
  }
  return handlerInstance(event);
}
