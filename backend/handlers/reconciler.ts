/**
 * Lambda entry of the reconciler: the creation of the policy bucket's commit object (a finished
 * push) runs one reconcile, and so does the creation of a "reconcile now" object (a revoked grant whose
 * live sessions must be denied at once, docs/elevation.md) and a scheduled event (no records), which
 * repairs drift. Every other object event is ignored: uploads of a push still in progress, and
 * Switchyard's own report, lock and published policy, which would otherwise trigger run after run.
 */
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { assembleReconciler } from '../assemble/reconciler.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { reconcilerConfig } from '../config/config.ts';
import { createLogger, type AppLogger } from '../logging.ts';
import { emfMetrics } from '../metrics/emf-metrics.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { runReconcile } from '../reconcile/run.ts';
import { addRunMetrics } from '../reconcile/run-metrics.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

export interface ReconcilerHandlerDeps {
  bucketName: string;
  bucket: Pick<PolicyBucket, 'isCommitKey' | 'isReconcileRequestKey' | 'readPublishedPolicy'>;
  reconcile: () => Promise<ReconcileReport>;
  logger?: AppLogger;
  /** Each run's outcome (backend/reconcile/run-metrics.ts); absent: none. */
  metrics?: Metrics;
}

/**
 * An S3 event notification: Powertools Parser's schema, except that the pusher's address may be any
 * text (Parser takes an IPv4 address or "s3.amazonaws.com" only; a push over IPv6 must not be ignored).
 */
export const BucketEventSchema = S3Schema.extend({
  Records: z.array(S3Schema.shape.Records.element.extend({ requestParameters: z.object({ sourceIPAddress: z.string() }) })).min(1),
});
export type BucketEvent = z.infer<typeof BucketEventSchema>;

export type ReconcilerResult =
  { ran: false; reason: string } | { ran: true; status: ReconcileReport['status']; runId: string; summary: ReconcileReport['summary'] };

/** `event`: an S3 event notification, or anything without `Records` (the schedule's event, a manual run). */
export function makeHandler(deps: ReconcilerHandlerDeps) {
  return async (event: unknown): Promise<ReconcilerResult> => {
    if (typeof event === 'object' && event !== null && 'Records' in event) {
      const parsed = BucketEventSchema.safeParse(event);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        deps.logger?.warn('not an S3 event notification: ignored', { path: issue?.path.join('.'), problem: issue?.message });
        return { ran: false, reason: 'not an S3 event notification' };
      }
      const keys = parsed.data.Records.filter((record) => record.s3.bucket.name === deps.bucketName)
        .map((record) => decodeEventKey(record.s3.object.key))
        .filter((key): key is string => key !== undefined);
      if (keys.some((key) => deps.bucket.isCommitKey(key))) deps.logger?.info('a push was committed', { keys });
      else if (keys.some((key) => deps.bucket.isReconcileRequestKey(key)))
        deps.logger?.info('a grant was revoked: its sessions are denied now', { keys });
      else {
        deps.logger?.debug('no push was committed', { keys });
        return { ran: false, reason: 'no push was committed' };
      }
    }
    const report = await deps.reconcile();
    if (deps.metrics) {
      const publishedAt = async () => {
        const published = await deps.bucket.readPublishedPolicy();
        return typeof published === 'object' ? published.publishedAt : undefined;
      };
      await addRunMetrics({ metrics: deps.metrics, publishedAt, ...(deps.logger ? { logger: deps.logger } : {}) }, report);
    }
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

let instance: { handle: ReturnType<typeof makeHandler>; logger: ReturnType<typeof createLogger> } | undefined;

export async function handler(event: unknown, context: Context): Promise<ReconcilerResult> {
  if (!instance) {
    const config = reconcilerConfig(process.env);
    const logger = createLogger('switchyard-reconciler', config.logLevel);
    const deps = assembleReconciler(config, { logger });
    instance = {
      logger,
      handle: makeHandler({
        bucketName: config.policy.bucket,
        bucket: deps.bucket,
        logger,
        metrics: emfMetrics(context.functionName),
        reconcile: () => runReconcile(deps),
      }),
    };
  }
  // Every line this invocation logs carries the request id, the function and whether it was a cold start.
  instance.logger.addContext(context);
  return instance.handle(event);
}
