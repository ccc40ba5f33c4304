/**
 * Lambda entry of the reconciler: the creation of the policy bucket's commit object (a finished
 * push) runs one reconcile, and so does the creation of a "reconcile now" object (a revoked grant whose
 * live sessions must be denied at once, docs/elevation.md) and a scheduled event (no records), which
 * repairs drift. Every other object event is ignored: uploads of a push still in progress, and
 * Switchyard's own report, lock and published policy, which would otherwise trigger run after run.
 * A run over more accounts than one batch puts its accounts on the reconcile queue in batches; the same
 * Lambda gets each batch from the queue (and, after every attempt failed, from its dead-letter queue).
 */
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { assembleReconciler } from '../assemble/reconciler.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { reconcilerConfig, type ReconcilerConfig } from '../config/config.ts';
import { createLogger, type AppLogger } from '../logging.ts';
import { emfMetrics } from '../metrics/emf-metrics.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { runReconcile, type ReconcileDeps } from '../reconcile/run.ts';
import { addRunMetrics } from '../reconcile/run-metrics.ts';
import { reconcileBatch, recordFailedBatch, type BatchResult } from '../reconcile/run-batch.ts';
import { BatchMessageSchema, type BatchMessage } from '../../shared/plan/batches.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { errorText } from '../../shared/error-text.ts';

export interface ReconcilerHandlerDeps {
  bucketName: string;
  bucket: Pick<PolicyBucket, 'isCommitKey' | 'isReconcileRequestKey' | 'readPublishedPolicy'>;
  reconcile: () => Promise<ReconcileReport>;
  /** A run's batches from the reconcile queue; unset when the reconciler was assembled without one. */
  batches?: {
    reconcile: (batch: BatchMessage) => Promise<BatchResult>;
    /** A batch that failed every attempt, from the queue's dead-letter queue. */
    recordFailed: (batch: BatchMessage) => Promise<BatchResult>;
    /** The dead-letter queue's ARN: its records are failed batches. */
    deadLetterQueueArn?: string;
  };
  logger?: AppLogger;
  /** Each run's outcome (backend/reconcile/run-metrics.ts); absent: none. */
  metrics?: Metrics;
}

/** Lambda's answer to an SQS event with ReportBatchItemFailures: the messages to deliver again. */
export interface BatchItemFailures {
  batchItemFailures: { itemIdentifier: string }[];
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

/** `event`: an S3 event notification, the reconcile queue's, or anything without `Records` (the schedule's event, a manual run). */
export function makeHandler(deps: ReconcilerHandlerDeps): (event: unknown) => Promise<ReconcilerResult | BatchItemFailures> {
  return async (event: unknown): Promise<ReconcilerResult | BatchItemFailures> => {
    if (isQueueEvent(event)) return handleBatches(deps, event);
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
    await meterRun(deps, report);
    return { ran: true, status: report.status, runId: report.runId, summary: report.summary };
  };
}

/** A run's outcome as metrics, when it ends: here, or in the batch that made a run split into batches whole. */
async function meterRun(deps: ReconcilerHandlerDeps, report: ReconcileReport): Promise<void> {
  if (!deps.metrics) return;
  const publishedAt = async () => {
    const published = await deps.bucket.readPublishedPolicy();
    return typeof published === 'object' ? published.publishedAt : undefined;
  };
  await addRunMetrics({ metrics: deps.metrics, publishedAt, ...(deps.logger ? { logger: deps.logger } : {}) }, report);
}

function isQueueEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || !('Records' in event) || !Array.isArray(event.Records)) return false;
  const first: unknown = event.Records[0];
  return typeof first === 'object' && first !== null && 'eventSource' in first && first.eventSource === 'aws:sqs';
}

/**
 * Each record is one batch (the mapping delivers one at a time). A batch that throws is answered as a failure
 * so the queue delivers it again; a record that is not a batch is dropped with a warning (delivering it again
 * cannot make it one).
 */
async function handleBatches(deps: ReconcilerHandlerDeps, event: unknown): Promise<BatchItemFailures> {
  const parsed = SqsSchema.safeParse(event);
  if (!parsed.success || !deps.batches) {
    deps.logger?.warn('a queue event this reconciler cannot take: ignored', {
      reason: parsed.success ? 'assembled without a queue' : 'not an SQS event',
    });
    return { batchItemFailures: [] };
  }
  const failures: { itemIdentifier: string }[] = [];
  for (const record of parsed.data.Records) {
    const batch = parseBatch(record.body);
    if (!batch) {
      deps.logger?.warn('a queue message that is not a batch of accounts: dropped', { messageId: record.messageId });
      continue;
    }
    const failedEveryAttempt = deps.batches.deadLetterQueueArn !== undefined && record.eventSourceARN === deps.batches.deadLetterQueueArn;
    try {
      const result = await (failedEveryAttempt ? deps.batches.recordFailed(batch) : deps.batches.reconcile(batch));
      deps.logger?.info('batch done', { runId: batch.runId, batch: batch.index, of: batch.batches, result: result.kind });
      if (result.kind !== 'stale' && result.report) await meterRun(deps, result.report);
    } catch (error) {
      deps.logger?.error('batch failed: the queue delivers it again', { runId: batch.runId, batch: batch.index, reason: errorText(error) });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

function parseBatch(body: string): BatchMessage | undefined {
  try {
    const result = BatchMessageSchema.safeParse(JSON.parse(body));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
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

/** The handler's parts from an assembled reconciler: the Lambda entry below and the integration tests wire it the same way. */
export function handlerDeps(config: ReconcilerConfig, deps: ReconcileDeps, logger?: AppLogger): ReconcilerHandlerDeps {
  const batching = deps.batching;
  return {
    bucketName: config.policy.bucket,
    bucket: deps.bucket,
    ...(logger ? { logger } : {}),
    reconcile: () => runReconcile(deps),
    ...(batching
      ? {
          batches: {
            reconcile: (batch) => reconcileBatch({ ...deps, batching }, batch),
            recordFailed: (batch) => recordFailedBatch({ ...deps, batching }, batch),
            ...(config.batches?.deadLetterQueueArn ? { deadLetterQueueArn: config.batches.deadLetterQueueArn } : {}),
          },
        }
      : {}),
  };
}

export async function handler(event: unknown, context: Context): Promise<ReconcilerResult | BatchItemFailures> {
  if (!instance) {
    const config = reconcilerConfig(process.env);
    const logger = createLogger('switchyard-reconciler', config.logLevel);
    const deps = assembleReconciler(config, { logger });
    instance = { logger, handle: makeHandler({ ...handlerDeps(config, deps, logger), metrics: emfMetrics(context.functionName) }) };
  }
  // Every line this invocation logs carries the request id, the function and whether it was a cold start.
  instance.logger.addContext(context);
  return instance.handle(event);
}
