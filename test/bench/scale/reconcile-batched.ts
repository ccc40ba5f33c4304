/**
 * `npm run bench -- reconcile --simulated --batch-accounts N`: the reconcile split across invocations
 * (docs/architecture.md, "Batches of accounts on a queue"). The trigger (a scheduled event) runs the bundled
 * Lambda once; then each batch message on the queue (SQS in moto) is handed to the bundled Lambda in a fresh
 * process of its own, as Lambda's event source mapping would, one at a time, until the queue is empty and the
 * last batch has written the whole report. Each invocation's wall time, CPU time (and its floor at Lambda's
 * CPU share) and peak memory are printed: the goal is that every one fits a third of Lambda's 15 minutes.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsSettings } from '../../../backend/aws/clients.ts';
import { createDynamoDbClient, createSqsClient } from '../../../backend/aws/clients.ts';
import type { PolicyBucket } from '../../../backend/bucket/policy-bucket.ts';
import { createStateTable } from '../../../backend/local/state-table.ts';
import { sqsEvent } from '../../helpers/lambda-events.ts';
import type { SimulatedAws } from '../../helpers/simulated-aws/server.ts';
import { LAMBDA_OPEN_FILES, runBundledLambda, type LambdaRun } from '../support/bundled-lambda.ts';
import { median, mib, round } from '../support/figures.ts';

const TABLE = 'switchyard-scale-bench-state';
/** A third of Lambda's 15 minutes: the room every invocation should leave. */
export const INVOCATION_GOAL_SECONDS = 300;

export interface BatchedBench {
  bundlePath: string;
  env: Record<string, string>;
  nodeArguments: string[];
  vcpuShare: number;
  bucket: PolicyBucket;
  sim: () => SimulatedAws;
  memberIds: Set<string>;
}

interface Queues {
  sqs: SQSClient;
  queue: { url: string; arn: string };
  deadLetters: { url: string; arn: string };
}

/** The state table and the two queues in moto, and the variables that point the Lambda at them. */
export async function prepareBatches(moto: AwsSettings, batchAccounts: number): Promise<{ queues: Queues; env: Record<string, string> }> {
  await createStateTable(createDynamoDbClient(moto), TABLE);
  const sqs = createSqsClient(moto);
  const create = async (name: string, attributes: Record<string, string>) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
    return { url, arn };
  };
  const deadLetters = await create('switchyard-bench-batches-dlq', {});
  // A failed batch comes back after 5 s here (900 s in the template), so a failure costs the bench little time.
  const queue = await create('switchyard-bench-batches', {
    VisibilityTimeout: '5',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: 3 }),
  });
  return {
    queues: { sqs, queue, deadLetters },
    env: {
      SWITCHYARD_STATE_TABLE: TABLE,
      SWITCHYARD_RECONCILE_BATCH_QUEUE_URL: queue.url,
      SWITCHYARD_RECONCILE_BATCH_DLQ_ARN: deadLetters.arn,
      SWITCHYARD_RECONCILE_BATCH_ACCOUNTS: String(batchAccounts),
    },
  };
}

function invocationFigures(label: string, run: LambdaRun, vcpuShare: number) {
  const seconds = run.handlerMs / 1000;
  const cpuSeconds = run.cpuMs / 1000;
  return {
    label,
    seconds: round(seconds),
    cpuSeconds: round(cpuSeconds),
    lambdaCpuFloorSeconds: round(cpuSeconds / vcpuShare),
    maxRssMiB: mib(run.maxRssBytes),
    peakHeapMiB: mib(run.peakHeapBytes),
    peakOpenFiles: run.peakOpenFiles,
    result: run.result,
  };
}
type InvocationFigures = ReturnType<typeof invocationFigures>;

/** One run split into batches, from the trigger to the whole report. `expect` checks the report's summary. */
export async function batchedRun(bench: BatchedBench, queues: Queues, label: string, expect: { created?: number; updated?: number }) {
  const simulated = bench.sim();
  simulated.resetStats();
  const run = (events: unknown[]) =>
    runBundledLambda(bench.bundlePath, { events, env: bench.env, openFilesLimit: LAMBDA_OPEN_FILES, nodeArguments: bench.nodeArguments });
  const show = (figures: InvocationFigures) =>
    console.log(
      `    ${figures.label.padEnd(16)} ${String(figures.seconds).padStart(7)} s  CPU ${figures.cpuSeconds} s (Lambda floor ${figures.lambdaCpuFloorSeconds} s)  ` +
        `maxRSS ${figures.maxRssMiB} MiB  heap ${figures.peakHeapMiB} MiB  open files ${figures.peakOpenFiles}`,
    );
  console.log(`  ${label}:`);
  const started = performance.now();
  const trigger = invocationFigures('trigger', await run([{ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }]), bench.vcpuShare);
  show(trigger);
  const triggered = trigger.result as { status?: string; runId?: string };
  if (triggered.status !== 'batched') throw new Error(`${label}: the trigger ended ${JSON.stringify(trigger.result)}, not batched`);

  const invocations: InvocationFigures[] = [];
  let redelivered = 0;
  for (;;) {
    const [message, source] = await nextMessage(queues);
    if (!message || !source) {
      if ((await waiting(queues, queues.queue)) + (await waiting(queues, queues.deadLetters)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const body = JSON.parse(message.Body ?? '{}') as { index?: number; batches?: number };
    const figures = invocationFigures(
      `${source === queues.deadLetters ? 'dead ' : ''}batch ${(body.index ?? 0) + 1}/${body.batches ?? '?'}`,
      await run([sqsEvent(source.arn, [message])]),
      bench.vcpuShare,
    );
    show(figures);
    invocations.push(figures);
    const failed = (figures.result as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? [];
    if (failed.some((failure) => failure.itemIdentifier === message.MessageId)) redelivered++;
    else await queues.sqs.send(new DeleteMessageCommand({ QueueUrl: source.url, ReceiptHandle: message.ReceiptHandle }));
  }
  const totalSeconds = (performance.now() - started) / 1000;

  const report = await bench.bucket.readReport();
  if (!report || report.runId !== triggered.runId) throw new Error(`${label}: no whole report of run ${triggered.runId}`);
  const problem =
    report.status !== 'applied'
      ? `ended ${report.status}`
      : Object.entries(expect)
          .find(([key, value]) => report.summary[key as 'created' | 'updated'] !== value)
          ?.join(' is not ');
  if (problem) throw new Error(`${label}: ${problem}: ${JSON.stringify(report.summary)}`);

  const stats = simulated.stats;
  const perAccount = [...bench.memberIds].map((id) => stats.byAccount.get(id) ?? 0);
  const throttled = Object.fromEntries(stats.throttled);
  const all = [trigger, ...invocations];
  const slowest = Math.max(...all.map((figures) => figures.seconds));
  const slowestFloor = Math.max(...all.map((figures) => figures.lambdaCpuFloorSeconds));
  const peak = Math.max(...all.map((figures) => figures.maxRssMiB));
  const summary = {
    label,
    status: report.status,
    summary: report.summary,
    invocations: all.length,
    batches: invocations.length,
    redelivered,
    totalSeconds: round(totalSeconds),
    batchSeconds: { median: median(invocations.map((figures) => figures.seconds)), max: Math.max(...invocations.map((f) => f.seconds)) },
    slowestInvocationSeconds: slowest,
    slowestLambdaCpuFloorSeconds: slowestFloor,
    peakMaxRssMiB: peak,
    callsPerAccount: { median: median(perAccount), min: Math.min(...perAccount), max: Math.max(...perAccount) },
    byOperation: Object.fromEntries([...stats.byOperation].sort()),
    throttlingRetries: Object.values(throttled).reduce((a, b) => a + b, 0),
    everyInvocationWithinAThird: Math.max(slowest, slowestFloor) <= INVOCATION_GOAL_SECONDS,
    trigger,
    batchInvocations: invocations,
  };
  console.log(
    `  ${label}: ${report.status}, ${report.summary.created} created, ${report.summary.updated} updated, ${report.summary.failedAccounts} accounts failed; ` +
      `${all.length} invocations in ${summary.totalSeconds} s; slowest ${slowest} s (Lambda CPU floor ${slowestFloor} s; goal <= ${INVOCATION_GOAL_SECONDS} s: ` +
      `${summary.everyInvocationWithinAThird ? 'met' : 'MISSED'}); peak ${peak} MiB; ${summary.throttlingRetries} throttling retries`,
  );
  return summary;
}

async function nextMessage(queues: Queues): Promise<[Message | undefined, Queues['queue'] | undefined]> {
  for (const source of [queues.queue, queues.deadLetters]) {
    const answer = await queues.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
    );
    const message = answer.Messages?.[0];
    if (message) return [message, source];
  }
  return [undefined, undefined];
}

async function waiting(queues: Queues, source: { url: string }): Promise<number> {
  const attributes = (
    await queues.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: source.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    )
  ).Attributes;
  return Number(attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
}
