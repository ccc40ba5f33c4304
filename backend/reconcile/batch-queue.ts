/**
 * The queue a reconcile split into batches puts its account batches on (shared/plan/batches.ts): SQS in
 * production, which delivers each message to the same reconcile Lambda (an event source mapping), retries a
 * batch that fails and moves it to the dead-letter queue after the attempts the queue allows.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BatchMessage } from '../../shared/plan/batches.ts';

export interface BatchQueue {
  /** Sends every batch, or throws (naming how many were not sent). */
  send(batches: readonly BatchMessage[]): Promise<void>;
}

/** SQS takes at most 10 messages a call (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html). */
const MESSAGES_PER_CALL = 10;

export class SqsBatchQueue implements BatchQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(batches: readonly BatchMessage[]): Promise<void> {
    for (let start = 0; start < batches.length; start += MESSAGES_PER_CALL) {
      const chunk = batches.slice(start, start + MESSAGES_PER_CALL);
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((batch) => ({ Id: String(batch.index), MessageBody: JSON.stringify(batch) })),
        }),
      );
      const failed = answer.Failed ?? [];
      if (failed.length > 0) {
        throw new Error(`the reconcile queue refused ${failed.length} of ${batches.length} batches (${failed[0]?.Code ?? 'unknown'})`);
      }
    }
  }
}
