/**
 * Test helper: records the exact input (and output) of every call an AWS SDK client makes, by a middleware
 * on the client (the pattern of backend/aws/call-counter.ts). Optionally answers calls itself, so unit tests
 * can run a client without any server (`answer`), which stands in for AWS only where a test says so.
 */
import type { MiddlewareStack } from '@smithy/types';
import type { AwsClient, AwsClientObserver } from '../../backend/aws/call-counter.ts';

export interface RecordedCall {
  label: string;
  service: string;
  operation: string;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  error?: string;
}

type Answer = (call: Omit<RecordedCall, 'output' | 'error'>) => Record<string, unknown> | Error | undefined;

export class AwsCallRecorder implements AwsClientObserver {
  readonly calls: RecordedCall[] = [];

  /** `answer`: return an output (or an Error to throw) to answer a call without sending it; undefined sends it. */
  constructor(private readonly answer?: Answer) {}

  attach<C extends AwsClient>(client: C, label: string): C {
    (client.middlewareStack as Pick<MiddlewareStack<object, object>, 'add'>).add(
      (next, context) => async (args) => {
        const { clientName = 'Unknown', commandName = 'Unknown' } = context as { clientName?: string; commandName?: string };
        const call: RecordedCall = {
          label,
          service: clientName.replace(/Client$/, ''),
          operation: commandName.replace(/Command$/, ''),
          input: structuredClone((args as { input: Record<string, unknown> }).input),
        };
        this.calls.push(call);
        const canned = this.answer?.(call);
        if (canned instanceof Error) {
          call.error = canned.name;
          throw canned;
        }
        if (canned !== undefined) {
          call.output = canned;
          return { output: { $metadata: {}, ...canned }, response: {} };
        }
        try {
          const result = await next(args);
          call.output = (result as { output: Record<string, unknown> }).output;
          return result;
        } catch (error) {
          call.error = error instanceof Error ? error.name : 'unknown';
          throw error;
        }
      },
      { step: 'initialize', name: 'switchyardCallRecorder', override: true },
    );
    return client;
  }

  named(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }
}
