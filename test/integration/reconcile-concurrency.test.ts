/** Concurrent runs serialize on the bucket lock (conditional put), and the last files win. */
import { HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { BucketLock } from '../../backend/bucket/lock.ts';
import { S3ObjectStore } from '../../backend/bucket/s3-object-store.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { BUCKET, DEV, MEMBER_ACCOUNTS, basePolicyFiles, useWorldResetPerTest, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;

useWorldResetPerTest((started) => (world = started));

async function exists(key: string): Promise<boolean> {
  try {
    await world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
    throw error;
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const eightHours = (files: Record<string, string>, duration: string) => ({
  'permission-sets/ReadOnly.yaml': (files['permission-sets/ReadOnly.yaml'] ?? '').replace('PT8H', duration),
});

describe('concurrent runs', () => {
  test('a run that finds the lock held defers; the holder runs again and the last files win', async () => {
    const files = basePolicyFiles();
    await world.putFiles(files);
    const first = runReconcile(world.deps());
    await until(() => exists('_switchyard/lock.json'));

    await world.putFiles(eightHours(files, 'PT4H'));
    const second = await runReconcile(world.deps()).catch(async (error: unknown) => {
      await first.catch(() => undefined); // never leave a run behind to disturb the next test
      throw error;
    });
    const last = await first;
    expect(second.status).toBe('deferred');
    expect(last.status).toBe('applied');
    for (const account of MEMBER_ACCOUNTS) {
      expect((await world.roles(account)).get('Switchyard-ReadOnly')?.maxSessionDuration).toBe(4 * 3600);
    }
    expect((await world.readReport()).runId).toBe(last.runId);
    expect(await exists('_switchyard/lock.json')).toBe(false);
    expect(await exists('_switchyard/rerun.json')).toBe(false);
  });

  test('runs that wait for the lock take turns: no overlap, no conflicting writes', async () => {
    await world.putFiles(basePolicyFiles());
    // moto checks If-None-Match and stores the object in two steps, so two puts in the same
    // millisecond can both succeed there (S3 itself is atomic): start the second once the first holds.
    const first = runReconcile(world.deps({ lockWaitMs: 60_000 }));
    await until(() => exists('_switchyard/lock.json'));
    const [a, b] = await Promise.all([first, runReconcile(world.deps({ lockWaitMs: 60_000 }))]);

    for (const report of [a, b]) {
      expect(report.status).toBe('applied');
      expect(report.accounts.every((account) => account.failed.length === 0 && account.error === undefined)).toBe(true);
    }
    const [earlier, later] = [a, b].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    expect(Date.parse(earlier?.finishedAt ?? '')).toBeLessThanOrEqual(Date.parse(later?.startedAt ?? ''));
    // Each role was created exactly once, by whichever run came first.
    expect(world.counter.iamWrites(DEV).filter((c) => c.operation === 'CreateRole')).toHaveLength(2);
    expect(world.counter.iamWrites().filter((c) => c.operation === 'CreateRole')).toHaveLength(4);
  });
});

describe('bucket lock', () => {
  const keys = { lockKey: '_switchyard/lock.json', rerunKey: '_switchyard/rerun.json' };
  /** A lock whose clock runs `aheadMs` ahead: it sees others' locks expire sooner. */
  const lockAt = (aheadMs = 0) =>
    new BucketLock({ store: new S3ObjectStore(world.s3, BUCKET), ...keys, ttlMs: 60_000, now: () => Date.now() + aheadMs });

  test('only one holder at a time; a stale lock is taken over, and its old holder cannot release the new one', async () => {
    const a = lockAt();
    expect(await a.tryAcquire('a')).toBe(true);
    expect(await lockAt().tryAcquire('b')).toBe(false);

    const c = lockAt(120_000); // two minutes later: a's lock has expired
    expect(await c.tryAcquire('c')).toBe(true);
    await a.release();
    expect(await exists('_switchyard/lock.json')).toBe(true);
    expect(await lockAt(120_000).tryAcquire('d')).toBe(false);
    await c.release();
    expect(await exists('_switchyard/lock.json')).toBe(false);
    expect(await lockAt().tryAcquire('e')).toBe(true);
  });
});
