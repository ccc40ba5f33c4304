/**
 * What Lambda hands a function, for tests that call the handlers as Lambda does: an S3 event
 * notification as S3 sends it (every field S3 writes), and an invocation's context.
 */
import type { Context } from 'aws-lambda';

/** One record per key; keys as S3 sends them, URL-encoded with "+" for spaces. */
export function s3Notification(bucket: string, keys: string[], eventName = 'ObjectCreated:Put') {
  return {
    Records: keys.map((key, index) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-11-28T01:42:33.123Z',
      eventName,
      userIdentity: { principalId: 'AWS:AIDAEXAMPLEPUSHER' },
      requestParameters: { sourceIPAddress: '203.0.113.7' },
      responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'reconcile-on-commit',
        bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKEXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
        object: { key, size: 512, eTag: '0123456789abcdef0123456789abcdef', sequencer: `0A1B2C3D4E5F67890${index}` },
      },
    })),
  };
}

/** The schedule's event (an EventBridge scheduled event): no records. */
export function scheduledEvent() {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2026-11-28T02:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/switchyard-drift-repair'],
    detail: {},
  };
}

export function lambdaContext(functionName: string, awsRequestId: string): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An SQS event as Lambda's event source mapping builds it from ReceiveMessage (with every system attribute). */
export function sqsEvent(
  queueArn: string,
  messages: { MessageId?: string; ReceiptHandle?: string; Body?: string; MD5OfBody?: string; Attributes?: Record<string, string> }[],
) {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: message.Attributes?.['ApproximateReceiveCount'] ?? '1',
        ApproximateFirstReceiveTimestamp: message.Attributes?.['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
        SenderId: message.Attributes?.['SenderId'] ?? 'AIDAEXAMPLE',
        SentTimestamp: message.Attributes?.['SentTimestamp'] ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
    })),
  };
}
