/** The bucket Lambda: a committed push runs a reconcile; uploads in progress and Switchyard's own objects do not. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeHandler } from '../../backend/handlers/reconciler.ts';
import { RecordingMetrics } from '../../backend/metrics/recording-metrics.ts';
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

test('each run adds its metrics; a run that publishes nothing reports the age of the policy the API still serves', async () => {
  const metrics = new RecordingMetrics();
  const handler = makeHandler({ bucketName: BUCKET, bucket: world.bucket, metrics, reconcile: () => runReconcile(world.deps()) });
  await world.putFiles(basePolicyFiles());
  expect(await handler(scheduledEvent())).toMatchObject({ ran: true, status: 'applied' });
  const points = () => metrics.recorded.map(({ metric, value, dimensions }) => [metric, value, dimensions]);
  expect(points()).toEqual([
    ['reconcileRuns', 1, { Status: 'applied' }],
    ['reconcileAccountsFailed', 0, {}],
    ['reconcileRolesChanged', 0, {}],
    ['publishedPolicyAge', 0, {}],
  ]);
  const published = await world.bucket.readPublishedPolicy();
  const publishedAt = Date.parse(typeof published === 'object' ? (published.publishedAt ?? '') : '');

  metrics.recorded.length = 0;
  await world.putFiles({ 'accounts.yaml': 'accounts: [' });
  const before = Date.now();
  expect(await handler(event('ObjectCreated:Put', '_switchyard/current.json'))).toMatchObject({ ran: true, status: 'invalid' });
  const after = Date.now();
  expect(points().slice(0, 3)).toEqual([
    ['reconcileRuns', 1, { Status: 'invalid' }],
    ['reconcileAccountsFailed', 0, {}],
    ['reconcileRolesChanged', 0, {}],
  ]);
  const age = metrics.of('publishedPolicyAge');
  expect(age).toHaveLength(1);
  expect(age[0]?.value).toBeGreaterThanOrEqual(Math.floor((before - publishedAt) / 1000));
  expect(age[0]?.value).toBeLessThanOrEqual(Math.ceil((after - publishedAt) / 1000));
  await world.putFiles(basePolicyFiles());
});
