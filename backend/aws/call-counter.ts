/**
 * Counts AWS API calls per account and operation, by a middleware on the clients the reconciler
 * builds: how tests prove "a second run makes zero writes" and how the benchmark counts calls.
 * Counts logical calls (one per `send`), not HTTP attempts, so SDK retries do not inflate them.
 */
import type { MiddlewareStack } from '@smithy/types';

export interface CountedCall {
  account: string;
  /** e.g. "IAM", "STS", "S3" */
  service: string;
  /** e.g. "CreateRole" */
  operation: string;
}

/** Any AWS SDK v3 client (their middleware stacks differ only in their input and output types). */
export interface AwsClient {
  middlewareStack: { add: unknown };
}

type AnyStack = Pick<MiddlewareStack<object, object>, 'add'>;

/** Something that watches the calls of the AWS clients it is attached to (a counter, a recorder in tests). */
export interface AwsClientObserver {
  attach<C extends AwsClient>(client: C, label: string): C;
}

/** IAM and STS operations that only read; any other operation is counted as a write. */
const READ_PREFIXES = ['Get', 'List', 'Describe', 'Head', 'Simulate'];

export function isWriteOperation(operation: string): boolean {
  return operation !== 'AssumeRole' && !READ_PREFIXES.some((prefix) => operation.startsWith(prefix));
}

export class CallCounter implements AwsClientObserver {
  readonly calls: CountedCall[] = [];

  /** Adds the counting middleware to a client; calls it makes are booked to `account`. */
  attach<C extends AwsClient>(client: C, account: string): C {
    (client.middlewareStack as AnyStack).add(
      (next, context) => async (args) => {
        const { clientName = 'Unknown', commandName = 'Unknown' } = context as { clientName?: string; commandName?: string };
        this.calls.push({ account, service: clientName.replace(/Client$/, ''), operation: commandName.replace(/Command$/, '') });
        return next(args);
      },
      { step: 'initialize', name: 'switchyardCallCounter', override: true },
    );
    return client;
  }

  count(filter: (call: CountedCall) => boolean = () => true): number {
    return this.calls.filter(filter).length;
  }

  /** Write calls to IAM (the reconciler's side effects). */
  iamWrites(account?: string): CountedCall[] {
    return this.calls.filter((c) => c.service === 'IAM' && isWriteOperation(c.operation) && (account === undefined || c.account === account));
  }

  /** Calls per account, e.g. { "111111111111": 3 }. */
  perAccount(filter: (call: CountedCall) => boolean = () => true): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls.filter(filter)) counts.set(call.account, (counts.get(call.account) ?? 0) + 1);
    return counts;
  }

  reset(): void {
    this.calls.length = 0;
  }
}
