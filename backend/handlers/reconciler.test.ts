import { describe, expect, it } from 'vitest';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { scheduledEvent, s3Notification } from '../../test/helpers/lambda-events.ts';
import { makeHandler } from './reconciler.ts';
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
