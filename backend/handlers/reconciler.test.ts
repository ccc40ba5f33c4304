import { describe, expect, it } from 'vitest';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { scheduledEvent, s3Notification, sqsEvent } from '../../test/helpers/lambda-events.ts';
import { makeHandler } from './reconciler.ts';
import { RecordingMetrics } from '../metrics/recording-metrics.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

const report = {
  status: 'applied',
  runId: 'r1',
  summary: { accounts: 0, failedAccounts: 0, created: 0, updated: 0, deleted: 0, conflicts: 0 },
} as ReconcileReport;

describe('the reconcile Lambda', () => {
  const runs: string[] = [];
  const handler = makeHandler({
    bucketName: 'policy',
    bucket: new PolicyBucket(new MemoryObjectStore(), 'team a/'),
    reconcile: async () => (runs.push('run'), report),
  });

  it('runs on the commit of its own prefix, with the key URL-encoded as S3 sends it', async () => {
    expect(await handler(s3Notification('policy', ['team+a/_switchyard/current.json']))).toMatchObject({ ran: true });
    expect(await handler(s3Notification('policy', ['team%20a/_switchyard/current.json']))).toMatchObject({ ran: true });
    expect(await handler(s3Notification('another-bucket', ['team+a/_switchyard/current.json']))).toMatchObject({ ran: false });
  });

  it('runs on a "reconcile now" a revocation left, so the revoked grant\'s sessions are denied at once', async () => {
    expect(await handler(s3Notification('policy', ['team+a/_switchyard/reconcile-requests/abcdefghijklmnop.json']))).toMatchObject({ ran: true });
    // Only that folder's own objects: not one nested below it, not another prefix's.
    expect(await handler(s3Notification('policy', ['team+a/_switchyard/reconcile-requests/x/y.json']))).toMatchObject({ ran: false });
    expect(await handler(s3Notification('policy', ['_switchyard/reconcile-requests/abcdefghijklmnop.json']))).toMatchObject({ ran: false });
  });

  it('ignores the access report’s files and the kept publications, which Switchyard itself writes', async () => {
    for (const key of [
      'team+a/_switchyard/reports/2026-12-07.csv',
      'team+a/_switchyard/reports/2026-12-07.jsonl',
      'team+a/_switchyard/published/20261128T014233123Z-3f9a1c.json',
    ])
      expect(await handler(s3Notification('policy', [key])), key).toMatchObject({ ran: false });
  });

  it('ignores a key it cannot decode instead of failing the invocation', async () => {
    const before = runs.length;
    expect(await handler(s3Notification('policy', ['team+a/%E0%A4%A/x.yaml']))).toEqual({ ran: false, reason: 'no push was committed' });
    expect(runs.length).toBe(before);
  });

  it('runs on the schedule, whose event has no records', async () => {
    const before = runs.length;
    expect(await handler(scheduledEvent())).toMatchObject({ ran: true });
    expect(runs.length).toBe(before + 1);
  });

  it('ignores records that are not an S3 event notification instead of failing the invocation', async () => {
    const before = runs.length;
    expect(await handler({ Records: [{ s3: { bucket: { name: 'policy' } } }] })).toEqual({ ran: false, reason: 'not an S3 event notification' });
    expect(await handler({ Records: 'team+a/_switchyard/current.json' })).toEqual({ ran: false, reason: 'not an S3 event notification' });
    expect(runs.length).toBe(before);
  });

  it('takes a push made over IPv6', async () => {
    const event = s3Notification('policy', ['team+a/_switchyard/current.json']);
    for (const record of event.Records) record.requestParameters.sourceIPAddress = '2001:db8::7';
    expect(await handler(event)).toMatchObject({ ran: true });
  });
});

describe('the reconcile Lambda on its batch queue', () => {
  const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:switchyard-reconcile-batches';
  const DEAD = 'arn:aws:sqs:eu-west-1:111122223333:switchyard-reconcile-batches-dlq';
  const batch = { runId: 'run-1', generation: 'gen-1', index: 0, batches: 2, accountIds: ['111111111111'], retiredAccountIds: [] };
  const message = (id: string, body: unknown) => ({
    MessageId: id,
    ReceiptHandle: `h-${id}`,
    Body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const calls: string[] = [];
  const handler = makeHandler({
    bucketName: 'policy',
    bucket: new PolicyBucket(new MemoryObjectStore(), ''),
    reconcile: async () => (calls.push('run'), report),
    batches: {
      reconcile: async (b) => {
        calls.push(`batch ${b.index}`);
        if (b.index === 1) throw new Error('the invocation died');
        return { kind: 'stale', reason: 'test' };
      },
      recordFailed: async (b) => (calls.push(`failed ${b.index}`), { kind: 'stale', reason: 'test' }),
      deadLetterQueueArn: DEAD,
    },
  });

  it('converges each batch, and answers a batch that throws as a failed item so the queue delivers it again', async () => {
    calls.length = 0;
    const answer = await handler(sqsEvent(QUEUE, [message('a', batch), message('b', { ...batch, index: 1 })]));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(calls).toEqual(['batch 0', 'batch 1']);
  });

  it('reports a batch from the dead-letter queue failed instead of trying it again', async () => {
    calls.length = 0;
    expect(await handler(sqsEvent(DEAD, [message('c', batch)]))).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual(['failed 0']);
  });

  it('drops a message that is not a batch (delivering it again would not make it one), and never starts a run for it', async () => {
    calls.length = 0;
    for (const body of ['not json', { ...batch, runId: '../report' }, { ...batch, accountIds: ['1'] }]) {
      expect(await handler(sqsEvent(QUEUE, [message('d', body)]))).toEqual({ batchItemFailures: [] });
    }
    expect(calls).toEqual([]);
  });

  it('meters a run once, when the batch that made it whole ends; a batch that did not is not a run', async () => {
    const metrics = new RecordingMetrics();
    const outcome = {
      index: 0,
      status: 'applied' as const,
      accounts: [],
      deletionGuard: { allowed: true, deletions: 0, managedRoles: 0, maxShare: 0.25 },
      mayHoldRoles: [],
    };
    let whole = false;
    const metered = makeHandler({
      bucketName: 'policy',
      bucket: new PolicyBucket(new MemoryObjectStore(), ''),
      reconcile: async () => report,
      metrics,
      batches: {
        reconcile: async () => ({ kind: 'counted', outcome, done: 1, ...(whole ? { report } : {}) }),
        recordFailed: async () => ({ kind: 'stale', reason: 'test' }),
      },
    });
    await metered(sqsEvent(QUEUE, [message('e', batch)]));
    expect(metrics.of('reconcileRuns')).toEqual([]);
    whole = true;
    await metered(sqsEvent(QUEUE, [message('f', { ...batch, index: 1 })]));
    expect(metrics.of('reconcileRuns').map((point) => point.dimensions)).toEqual([{ Status: 'applied' }]);
  });
});
