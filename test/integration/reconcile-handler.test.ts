/** The bucket Lambda: a committed push runs a reconcile; uploads in progress and Switchyard's own objects do not. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeHandler } from '../../backend/handlers/reconciler.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { scheduledEvent, s3Notification } from '../helpers/lambda-events.ts';
import { BUCKET, DEV, basePolicyFiles, startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

const event = (eventName: string, ...keys: string[]) =>
  s3Notification(
    BUCKET,
    keys.map((key) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/')),
    eventName,
  );

test('a committed push reconciles; generation uploads, report, lock and published policy events are ignored', async () => {
  let runs = 0;
  const handler = makeHandler({ bucketName: BUCKET, bucket: world.bucket, reconcile: () => (runs++, runReconcile(world.deps())) });
  await world.putFiles(basePolicyFiles());
  const generation = (await world.bucket.readCommit())?.commit.generation ?? '';

  expect(await handler(event('ObjectCreated:Put', '_switchyard/report.json', '_switchyard/lock.json'))).toEqual({
    ran: false,
    reason: 'no push was committed',
  });
  expect(await handler(event('ObjectCreated:Put', `_switchyard/generations/${generation}/accounts.yaml`, 'accounts.yaml'))).toMatchObject({
    ran: false,
  });
  expect(await handler(s3Notification('another-bucket', ['_switchyard/current.json']))).toMatchObject({ ran: false });
  expect(runs).toBe(0);

  const result = await handler(event('ObjectCreated:Put', '_switchyard/current.json'));
  expect(result).toMatchObject({ ran: true, status: 'applied', summary: { created: 4 } });
  expect(runs).toBe(1);
  expect((await world.roles(DEV)).has('Switchyard-ReadOnly')).toBe(true);
  await world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: '_switchyard/report.json' }));

  // A scheduled invocation (no records) repairs drift.
  expect(await handler(scheduledEvent())).toMatchObject({ ran: true, status: 'applied' });
  expect(runs).toBe(2);
});
