/**
 * A reconcile split across invocations, against moto's SQS, S3, IAM and DynamoDB: 7 accounts in batches of 3.
 * The trigger puts the batches on the queue; this file plays Lambda's event source mapping (ReceiveMessage,
 * the handler called with the SQS event, DeleteMessage unless the handler reports the item failed; the
 * dead-letter queue's own mapping likewise). Roles land in every account and one whole report is written;
 * a batch that fails every attempt reaches the dead-letter queue and its accounts are named in a partial
 * report; a batch of a run that lost the lock is stale and changes nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { assembleReconciler, type ReconcilerExtras } from '../../backend/assemble/reconciler.ts';
import { createDynamoDbClient, createSqsClient } from '../../backend/aws/clients.ts';
import { reconcilerConfig } from '../../backend/config/config.ts';
import { handlerDeps, makeHandler, type BatchItemFailures } from '../../backend/handlers/reconciler.ts';
import { createStateTable } from '../../backend/local/state-table.ts';
import type { CliIo } from '../../backend/cli/command.ts';
import { main } from '../../backend/cli/main.ts';
import { makePolicyPush } from '../../backend/cli/push.ts';
import { reconcileAccounts } from '../../backend/reconcile/reconcile-accounts.ts';
import { reconcileBatch } from '../../backend/reconcile/run-batch.ts';
import { PolicyBucket } from '../../backend/bucket/policy-bucket.ts';
import { DynamoDbStateTable } from '../../backend/state/dynamodb-state-table.ts';
import { reconcileBatchesDoneKey } from '../../backend/state/layout.ts';
import { BatchMessageSchema } from '../../shared/plan/batches.ts';
import { scheduledEvent, sqsEvent } from '../helpers/lambda-events.ts';
import { BUCKET, DEVELOPER_PROVIDER, IDENTITY_POOL_ID, basePolicyFiles, startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

const TABLE = 'switchyard-state-batches';
const EXTRA = ['444444444444', '555555555555', '666666666666', '777777777777'];
/** Deliveries before SQS moves a batch to the dead-letter queue (the template's maxReceiveCount is larger). */
const ATTEMPTS = 2;

let world: ReconcileWorld;
let sqs: SQSClient;
let queue: { url: string; arn: string };
let deadLetters: { url: string; arn: string };

beforeAll(async () => {
  world = await startWorld();
  sqs = createSqsClient(world.settings);
  await createStateTable(createDynamoDbClient(world.settings), TABLE);
  deadLetters = await createQueue('switchyard-reconcile-batches-dlq', {});
  // A visibility timeout of 1 s stands in for the template's (longer than the Lambda's timeout) so a failed batch comes back quickly.
  queue = await createQueue('switchyard-reconcile-batches', {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: ATTEMPTS }),
  });
}, 60_000);
afterAll(async () => {
  await world?.stop();
});
beforeEach(async () => {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl: deadLetters.url }));
});

async function createQueue(name: string, attributes: Record<string, string>) {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
  return { url, arn };
}

function sevenAccounts(): Record<string, string> {
  const files = basePolicyFiles();
  files['accounts.yaml'] =
    `${files['accounts.yaml']}${EXTRA.map((id, i) => `  - { id: "${id}", name: extra-${i}, tags: { env: prod } }\n`).join('')}`;
  return files;
}

/** The reconcile Lambda as deployed with a batch queue, from its configuration; `extras` as the tests' assembly allows. */
function lambda(batchAccounts: number, extras: ReconcilerExtras = {}) {
  const config = reconcilerConfig({
    AWS_REGION: world.settings.region,
    SWITCHYARD_AWS_ENDPOINT: world.moto.endpoint,
    SWITCHYARD_LOG_LEVEL: 'SILENT',
    SWITCHYARD_POLICY_BUCKET: BUCKET,
    SWITCHYARD_IDENTITY_POOL_ID: IDENTITY_POOL_ID,
    SWITCHYARD_DEVELOPER_PROVIDER: DEVELOPER_PROVIDER,
    SWITCHYARD_RECONCILE_CONCURRENCY: '4',
    SWITCHYARD_STATE_TABLE: TABLE,
    SWITCHYARD_RECONCILE_BATCH_QUEUE_URL: queue.url,
    SWITCHYARD_RECONCILE_BATCH_DLQ_ARN: deadLetters.arn,
    SWITCHYARD_RECONCILE_BATCH_ACCOUNTS: String(batchAccounts),
  });
  const deps = assembleReconciler(config, { credentials: world.settings.credentials, ...extras });
  return { deps, handle: makeHandler(handlerDeps(config, deps)) };
}

async function receive(from: { url: string }): Promise<Message | undefined> {
  const answer = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: from.url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
  );
  return answer.Messages?.[0];
}

async function waiting(from: { url: string }): Promise<number> {
  const attributes = (
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: from.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    )
  ).Attributes;
  return Number(attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
}

/** Lambda's event source mappings on both queues, one message an invocation, until both are empty; returns what was delivered. */
async function consume(handle: ReturnType<typeof lambda>['handle']): Promise<{ deliveries: number; fromDeadLetters: number }> {
  let deliveries = 0;
  let fromDeadLetters = 0;
  for (let rounds = 0; rounds < 200; rounds++) {
    for (const source of [queue, deadLetters]) {
      const message = await receive(source);
      if (!message) continue;
      expect(
        createHash('md5')
          .update(message.Body ?? '')
          .digest('hex'),
      ).toBe(message.MD5OfBody);
      deliveries++;
      if (source === deadLetters) fromDeadLetters++;
      const answer = (await handle(sqsEvent(source.arn, [message]))) as BatchItemFailures;
      if (!answer.batchItemFailures.some((failure) => failure.itemIdentifier === message.MessageId)) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: source.url, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    if ((await waiting(queue)) + (await waiting(deadLetters)) === 0) return { deliveries, fromDeadLetters };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('the queues did not drain');
}

test('7 accounts in batches of 3: three messages, roles in every account, one whole report, the lock let go; at 7 a batch it stays one run', async () => {
  await world.putFiles(sevenAccounts());

  // Not more accounts than one batch: one invocation, as without a queue.
  const single = await lambda(7).handle(scheduledEvent());
  expect(single).toMatchObject({ ran: true, status: 'applied', summary: { accounts: 7, created: 8 } });
  expect(await waiting(queue)).toBe(0);

  // Edit the policy so every account has something to change, then split.
  const files = sevenAccounts();
  files['permission-sets/ReadOnly.yaml'] = (files['permission-sets/ReadOnly.yaml'] ?? '').replace('PT8H', 'PT4H');
  await world.putFiles(files);
  const { handle } = lambda(3);
  const started = await handle(scheduledEvent());
  expect(started).toMatchObject({ ran: true, status: 'batched' });
  expect(await waiting(queue)).toBe(3);
  expect(await world.bucket.store.exists(world.bucket.layout.lock)).toBe(true);
  const before = await world.readReport();
  expect(before.runId).toBe((single as { runId: string }).runId);

  expect(await consume(handle)).toEqual({ deliveries: 3, fromDeadLetters: 0 });
  const report = await world.readReport();
  expect(report).toMatchObject({
    runId: (started as { runId: string }).runId,
    status: 'applied',
    summary: { accounts: 7, updated: 7, failedAccounts: 0 },
  });
  expect(report.accounts.map((a) => a.accountId)).toEqual([...report.accounts.map((a) => a.accountId)].sort());
  for (const id of EXTRA) expect((await world.roles(id)).get('Switchyard-ReadOnly')?.maxSessionDuration).toBe(4 * 3600);
  const published = await world.bucket.readPublishedPolicy();
  expect(typeof published === 'object' && published.runId).toBe(report.runId);
  expect(typeof published === 'object' && Object.keys(published.available ?? {}).length).toBe(7);
  // The one publication is also kept for `access report --as-of`, as a run in one invocation keeps it.
  expect(typeof published === 'object' && (await world.bucket.store.exists(world.bucket.layout.publishedHistory(published.generation ?? '')))).toBe(
    true,
  );
  expect(await world.bucket.store.exists(world.bucket.layout.lock)).toBe(false);
  expect(await world.bucket.store.list(world.bucket.layout.runsFolder)).toEqual([]);
}, 60_000);

test('a batch that fails every attempt reaches the dead-letter queue; the report is partial and names its accounts', async () => {
  await world.putFiles(sevenAccounts());
  const broken = EXTRA[3] ?? '';
  const { handle } = lambda(3, {
    convergeAccounts: async (policy, options) => {
      if (options.accountIds?.includes(broken)) throw new Error('the invocation died');
      return reconcileAccounts(policy, options);
    },
  });
  expect(await handle(scheduledEvent())).toMatchObject({ status: 'batched' });

  expect(await consume(handle)).toEqual({ deliveries: 3 + ATTEMPTS, fromDeadLetters: 1 });
  const report = await world.readReport();
  expect(report.status).toBe('partial');
  const failed = report.accounts.filter((a) => a.error !== undefined);
  expect(failed.map((a) => a.accountId)).toEqual([broken]);
  expect(failed[0]?.error).toMatch(/batch \(3 of 3\) failed every attempt/);
  expect(report.summary).toMatchObject({ accounts: 7, failedAccounts: 1 });
  expect(await world.bucket.store.exists(world.bucket.layout.lock)).toBe(false);
}, 60_000);

test('a batch of a run that lost the lock is stale: it changes nothing, and the run holding the lock ends whole', async () => {
  await world.putFiles(sevenAccounts());
  // The first run's lock lapses at once, and a second run takes it over before any batch ran.
  const first = lambda(3, { lockTtlMs: 1 });
  const firstRun = (await first.handle(scheduledEvent())) as { runId: string; status: string };
  expect(firstRun.status).toBe('batched');
  const stale = BatchMessageSchema.parse(JSON.parse((await receive(queue))?.Body ?? '{}'));
  expect(stale.runId).toBe(firstRun.runId);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));

  const files = sevenAccounts();
  files['permission-sets/ReadOnly.yaml'] = (files['permission-sets/ReadOnly.yaml'] ?? '').replace('PT8H', 'PT2H');
  await world.putFiles(files);
  const second = lambda(3);
  const secondRun = (await second.handle(scheduledEvent())) as { runId: string; status: string };
  expect(secondRun.status).toBe('batched');

  // The old run's batch, delivered late: refused before it reaches an account, and not counted.
  expect(await reconcileBatch({ ...second.deps, batching: second.deps.batching! }, stale)).toEqual({
    kind: 'stale',
    reason: 'another run holds the lock',
  });
  expect(await (second.handle(sqsEvent(queue.arn, [{ MessageId: 'late', Body: JSON.stringify(stale) }])) as Promise<BatchItemFailures>)).toEqual({
    batchItemFailures: [],
  });
  const state = new DynamoDbStateTable(createDynamoDbClient(world.settings), TABLE);
  expect(await state.get(reconcileBatchesDoneKey(firstRun.runId))).toBeUndefined();

  await consume(second.handle);
  const report = await world.readReport();
  expect(report).toMatchObject({ runId: secondRun.runId, status: 'applied', summary: { accounts: 7 } });
  for (const id of EXTRA) expect((await world.roles(id)).get('Switchyard-ReadOnly')?.maxSessionDuration).toBe(2 * 3600);
}, 60_000);

test("a message naming an inventory account as retired does not empty it (the queue is not trusted with the run's inventory)", async () => {
  await world.putFiles(sevenAccounts());
  const { handle } = lambda(3);
  expect(await handle(scheduledEvent())).toMatchObject({ status: 'batched' });
  const genuine = await receive(queue);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: genuine?.ReceiptHandle }));
  const target = EXTRA[3] ?? '';
  const forged = { ...BatchMessageSchema.parse(JSON.parse(genuine?.Body ?? '{}')), retiredAccountIds: [target] };
  expect(forged.accountIds).not.toContain(target);
  expect(await handle(sqsEvent(queue.arn, [{ MessageId: 'forged', Body: JSON.stringify(forged) }]))).toEqual({ batchItemFailures: [] });
  expect((await world.roles(target)).has('Switchyard-ReadOnly')).toBe(true);
  await consume(handle);
  expect(await world.readReport()).toMatchObject({ status: 'applied', summary: { accounts: 7, deleted: 0 } });
}, 60_000);

test('the last batch failing while it makes the run whole is delivered again, and makes it whole then', async () => {
  await world.putFiles(sevenAccounts());
  class FailingOncePublish extends PolicyBucket {
    failures = 1;
    override async publishPolicy(published: Parameters<PolicyBucket['publishPolicy']>[0]): ReturnType<PolicyBucket['publishPolicy']> {
      if (this.failures-- > 0) throw new Error('S3 answered 503 SlowDown');
      return super.publishPolicy(published);
    }
  }
  const bucket = new FailingOncePublish(world.bucket.store, '');
  const { handle } = lambda(3, { bucket });
  const started = (await handle(scheduledEvent())) as { runId: string };
  expect(await consume(handle)).toEqual({ deliveries: 4, fromDeadLetters: 0 });
  expect(bucket.failures).toBe(-1);
  expect(await world.readReport()).toMatchObject({ runId: started.runId, status: 'applied', summary: { accounts: 7 } });
  expect(await world.bucket.store.exists(world.bucket.layout.lock)).toBe(false);
}, 60_000);

test("`policy push --reconcile` from an admin's machine reconciles in its own process, never through the queue", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-batches-push-'));
  try {
    const files = sevenAccounts();
    files['permission-sets/ReadOnly.yaml'] = (files['permission-sets/ReadOnly.yaml'] ?? '').replace('PT8H', 'PT3H');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), env: {} };
    const { deps } = lambda(3);
    const code = await main(['policy', 'push', dir, '--reconcile'], io, [makePolicyPush({ deps: () => deps, pollMs: 50 })]);
    expect(code, out).toBe(0);
    expect(await waiting(queue)).toBe(0);
    expect(await world.readReport()).toMatchObject({ status: 'applied', summary: { accounts: 7, updated: 7 } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);

test('an account dropped from the inventory loses its roles in a batch of its own: the run counts the deletions, not the batch', async () => {
  // Four roles in every account, so the one account retired is 4 of 28 roles (14 %: allowed), but all of its batch's.
  // Applied in one invocation first: the batches, reading the policy from the run's plan, then change nothing else.
  const files = sevenAccounts();
  for (const name of ['Billing', 'Network']) {
    files[`permission-sets/${name}.yaml`] =
      `description: ${name}\nsessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`;
  }
  files['assignments.yaml'] =
    `assignments:\n${['ReadOnly', 'Admin', 'Billing', 'Network'].map((set) => `  - { group: Team, permissionSet: ${set}, accounts: "*" }`).join('\n')}\n`;
  await world.putFiles(files);
  expect(await lambda(7).handle(scheduledEvent())).toMatchObject({ status: 'applied', summary: { accounts: 7 } });
  const retired = EXTRA[3] ?? '';
  expect([...(await world.roles(retired)).keys()].filter((name) => name.startsWith('Switchyard-'))).toHaveLength(4);

  files['accounts.yaml'] = (files['accounts.yaml'] ?? '')
    .split('\n')
    .filter((line) => !line.includes(retired))
    .join('\n');
  await world.putFiles(files);
  const { handle } = lambda(3);
  expect(await handle(scheduledEvent())).toMatchObject({ status: 'batched' });
  await consume(handle);
  const report = await world.readReport();
  expect(report).toMatchObject({ status: 'applied', summary: { accounts: 7, created: 0, updated: 0, deleted: 4, failedAccounts: 0 } });
  expect(report.deletionGuard).toMatchObject({ allowed: true, deletions: 4, managedRoles: 28 });
  expect([...(await world.roles(retired)).keys()].filter((name) => name.startsWith('Switchyard-'))).toEqual([]);
}, 60_000);
