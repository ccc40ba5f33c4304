/**
 * The state table in memory: for unit tests and benches only. It keeps DynamoDB's semantics that the
 * features rely on (conditions, versions, expiry, sort order, paging), and passes the same contract
 * tests as the DynamoDB adapter. Not for a deployment: each Lambda instance would have its own.
 */
import {
  StateConditionFailed,
  queryLimit,
  type NewStateItem,
  type QueryOptions,
  type StateItem,
  type StateKey,
  type StatePage,
  type StateTable,
  type WriteCondition,
} from './state-table.ts';

export interface MemoryStateTableOptions {
  /** The clock in milliseconds (tests move it to expire items). */
  now?: () => number;
}

export class MemoryStateTable implements StateTable {
  private readonly items = new Map<string, StateItem<unknown>>();
  private readonly now: () => number;

  constructor(options: MemoryStateTableOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async get<Data>(key: StateKey): Promise<StateItem<Data> | undefined> {
    const item = this.live(key);
    return item ? (copy(item) as StateItem<Data>) : undefined;
  }

  async put<Data>(item: NewStateItem<Data>, condition: WriteCondition): Promise<StateItem<Data>> {
    const current = this.live(item);
    this.check(item, current, condition);
    const written: StateItem<Data> = { ...copy(item), version: this.versionOf(item) + 1 };
    this.items.set(id(item), written);
    return copy(written);
  }

  async delete(key: StateKey, condition: WriteCondition): Promise<void> {
    this.check(key, this.live(key), condition);
    this.items.delete(id(key));
  }

  async query<Data>(pk: string, options: QueryOptions = {}): Promise<StatePage<Data>> {
    const limit = queryLimit(options);
    const prefix = options.skPrefix ?? '';
    const keyOf = (item: StateItem<unknown>) => (options.index ? item.index : { pk: item.pk, sk: item.sk });
    const matching = [...this.items.values()]
      .filter((item) => this.isLive(item))
      .filter((item) => {
        const key = keyOf(item);
        return key !== undefined && key.pk === pk && key.sk.startsWith(prefix);
      })
      .sort((a, b) => compare(order(keyOf(a)!, a), order(keyOf(b)!, b)));
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const start = after === undefined ? 0 : matching.findIndex((item) => compare(order(keyOf(item)!, item), after) > 0);
    const page = start < 0 ? [] : matching.slice(start, start + limit);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < matching.length;
    return {
      items: page.map((item) => copy(item) as StateItem<Data>),
      ...(more && last ? { cursor: encodeCursor(order(keyOf(last)!, last)) } : {}),
    };
  }

  async increment(key: StateKey, by: number, expiresAt: number): Promise<number> {
    const current = this.live(key);
    const count = (current ? countOf(current) : 0) + by;
    const base = current ?? { pk: key.pk, sk: key.sk, expiresAt };
    this.items.set(id(key), { ...base, version: this.versionOf(key) + 1, data: { count } });
    return count;
  }

  /** Everything, expired or not: for tests that look at what was written. */
  dump(): StateItem<unknown>[] {
    return [...this.items.values()].map(copy);
  }

  private live(key: StateKey): StateItem<unknown> | undefined {
    const item = this.items.get(id(key));
    return item && this.isLive(item) ? item : undefined;
  }

  /** Versions only grow, even across an expiry (as DynamoDB's `ADD v 1` on a swept-later item). */
  private versionOf(key: StateKey): number {
    return this.items.get(id(key))?.version ?? 0;
  }

  private isLive(item: StateItem<unknown>): boolean {
    return item.expiresAt === undefined || item.expiresAt * 1000 > this.now();
  }

  private check(key: StateKey, current: StateItem<unknown> | undefined, condition: WriteCondition): void {
    const holds =
      condition.kind === 'any' ||
      (condition.kind === 'absent' && current === undefined) ||
      (condition.kind === 'version' && current?.version === condition.version);
    if (!holds) throw new StateConditionFailed(key);
  }
}

function countOf(item: StateItem<unknown>): number {
  const count = (item.data as { count?: unknown }).count;
  return typeof count === 'number' ? count : 0;
}

function id(key: StateKey): string {
  return JSON.stringify([key.pk, key.sk]);
}

/** Sort order of a query: the searched key's sort key, then the item's own key (the index may repeat). */
function order(key: StateKey, item: StateItem<unknown>): string[] {
  return [key.sk, item.pk, item.sk];
}

function compare(a: string[], b: string[]): number {
  for (let index = 0; index < a.length; index++) {
    const left = a[index] ?? '';
    const right = b[index] ?? '';
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

function encodeCursor(position: string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): string[] {
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new RangeError('not a state query cursor');
  return parsed;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
