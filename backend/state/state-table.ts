/**
 * The backend's state table as a port: small records that must be shared by every API instance and
 * written under a condition (who wins a race is decided by the table, not by a Lambda's memory).
 * Production: one on-demand DynamoDB table (dynamodb-state-table.ts); unit tests: memory-state-table.ts.
 * Both pass the same contract tests. What lives under which key: layout.ts.
 *
 * Every item carries a version, starting at 1 and raised by each write, so a read-then-write can say
 * "only if nobody wrote in between" (optimistic concurrency). An item past its `expiresAt` is absent to
 * every operation here, even before DynamoDB's time-to-live sweep removes it (which can take days).
 */
import { errorName } from '../../shared/error-text.ts';

export interface StateKey {
  /** Partition key: which records belong together (one person's, one request's ...). */
  pk: string;
  /** Sort key within the partition. */
  sk: string;
}

/** A second way to find an item: the table's one secondary index (`byIndex`), eventually consistent. */
export interface StateIndexKey {
  pk: string;
  sk: string;
}

export interface StateItem<Data = Record<string, unknown>> extends StateKey {
  /** 1 after the first write; each write raises it by one. */
  version: number;
  /** Unix seconds after which the item no longer exists for readers and conditions. */
  expiresAt?: number;
  index?: StateIndexKey;
  data: Data;
}

export type NewStateItem<Data> = Omit<StateItem<Data>, 'version'>;

/**
 * The condition a write needs to succeed:
 *   - `absent`: no live item has this key (a creation that must not overwrite);
 *   - `version`: the live item is exactly at this version (nobody wrote since it was read);
 *   - `any`: unconditional.
 */
export type WriteCondition = { kind: 'absent' } | { kind: 'version'; version: number } | { kind: 'any' };

export interface QueryOptions {
  /** Only sort keys that start with this. */
  skPrefix?: string;
  /** Search the secondary index instead: `pk` and `skPrefix` then apply to its keys. */
  index?: boolean;
  /** At most this many items in the page (default 100, at most 1,000). */
  limit?: number;
  /** From the page before's `cursor`. */
  cursor?: string;
}

export interface StatePage<Data> {
  items: StateItem<Data>[];
  /** Present when there may be more: pass it back for the next page. */
  cursor?: string;
}

export interface StateTable {
  /** The live item, read consistently; undefined when absent or expired. */
  get<Data>(key: StateKey): Promise<StateItem<Data> | undefined>;
  /** Writes the whole item when the condition holds, and returns it at its new version. */
  put<Data>(item: NewStateItem<Data>, condition: WriteCondition): Promise<StateItem<Data>>;
  /** Removes the item when the condition holds; removing an absent item under `any` is no error. */
  delete(key: StateKey, condition: WriteCondition): Promise<void>;
  /** Live items of one partition (of the table, or of the index), in sort-key order. */
  query<Data>(pk: string, options?: QueryOptions): Promise<StatePage<Data>>;
  /**
   * Adds `by` to a counter (an item whose data is `{ count }`) and returns its new value. A counter that
   * does not exist or has expired starts again from zero, with `expiresAt` as its new end; a live
   * counter keeps its end.
   */
  increment(key: StateKey, by: number, expiresAt: number): Promise<number>;
}

/** A write's condition did not hold: somebody else wrote first, or the item was (not) there. */
export class StateConditionFailed extends Error {
  override readonly name = 'StateConditionFailed';
  constructor(key: StateKey) {
    super(`the state item ${key.pk} / ${key.sk} changed before this write`);
  }
}

/** The table did not answer, or refused (throttled, missing, no permission): what the API answers 503 for. */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
  constructor(table: string, cause: unknown) {
    super(`the state table ${table} did not answer (${errorName(cause)})`, { cause });
  }
}

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

export function queryLimit(options: QueryOptions | undefined): number {
  const limit = options?.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a state query limit must be a whole number of at least 1');
  return Math.min(limit, MAX_QUERY_LIMIT);
}

/** Every live item of one partition (of the table, or of the index), page after page of the most a query gives. */
export async function* everyItem<Data>(
  table: StateTable,
  pk: string,
  options: Omit<QueryOptions, 'limit' | 'cursor'> = {},
): AsyncGenerator<StateItem<Data>> {
  let cursor: string | undefined;
  do {
    const page = await table.query<Data>(pk, { ...options, limit: MAX_QUERY_LIMIT, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

/** everyItem's items in an array. */
export async function allItems<Data>(
  table: StateTable,
  pk: string,
  options: Omit<QueryOptions, 'limit' | 'cursor'> = {},
): Promise<StateItem<Data>[]> {
  const items: StateItem<Data>[] = [];
  for await (const item of everyItem<Data>(table, pk, options)) items.push(item);
  return items;
}
