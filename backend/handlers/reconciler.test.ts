import { describe, expect, it } from 'vitest';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { makeHandler } from './reconciler.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

const report = {
  status: 'applied',
  runId: 'r1',
  summary: { accounts: 0, failedAccounts: 0, created: 0, updated: 0, deleted: 0, conflicts: 0 },
} as ReconcileReport;
const record = (key: string, bucket = 'policy') => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key } } });

describe('the reconcile Lambda', () => {
  const runs: string[] = [];
  const handler = makeHandler({
    bucketName: 'policy',
    bucket: new PolicyBucket(new MemoryObjectStore(), 'team a/'),
    reconcile: async () => (runs.push('run'), report),
  });

  it('runs on the commit of its own prefix, with the key URL-encoded as S3 sends it', async () => {
    expect(await handler({ Records: [record('team+a/_switchyard/current.json')] })).toMatchObject({ ran: true });
    expect(await handler({ Records: [record('team%20a/_switchyard/current.json')] })).toMatchObject({ ran: true });
    expect(await handler({ Records: [record('team+a/_switchyard/current.json', 'another-bucket')] })).toMatchObject({ ran: false });
  });

  it('ignores a key it cannot decode instead of failing the invocation', async () => {
    const before = runs.length;
    expect(await handler({ Records: [record('team+a/%E0%A4%A/x.yaml')] })).toEqual({ ran: false, reason: 'no push was committed' });
    expect(runs.length).toBe(before);
  });
});
