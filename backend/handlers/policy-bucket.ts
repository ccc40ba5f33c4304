/**
 * Lambda entry of the reconciler: the policy bucket's ObjectCreated/ObjectRemoved events (and an
 * optional schedule, for drift repair) run one reconcile. Events about Switchyard's own objects
 * (report, lock, published policy) are ignored, or every report would trigger another run.
 *
 * Environment: see backend/reconcile/deps-from-env.ts.
 */
import { createLogger, type AppLogger } from '../logging.ts';
import { isControlKey } from '../policy/s3-policy-source.ts';
import { reconcileDepsFromEnv } from '../reconcile/deps-from-env.ts';
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
  const deps = { ...reconcileDepsFromEnv(env), logger };
  return makeHandler({ bucket: deps.bucket, prefix: deps.prefix, logger, reconcile: () => runReconcile(deps) });
}
