/**
 * The state table on DynamoDB: one on-demand table with a string partition key `pk`, a string sort key
 * `sk`, a time-to-live attribute `ttl` (Unix seconds) and one global secondary index `byIndex` over
 * `ipk`/`isk` (projecting everything). The management template declares exactly this; the local stack
 * creates it in moto (backend/local/state-table.ts).
 *
 * Attributes: `v` the version, `d` the item's data (a map), `n` a counter's count. Plain client
 * commands with util-dynamodb's marshalling, not lib-dynamodb's document client: that package cannot
 * be tree-shaken, so every DynamoDB command would reach the API bundle and, by the grants-match-code
 * rule, its role.
 * Writes are UpdateItem calls so that the version is raised by the table itself (`ADD v 1`) under the
 * write's condition: two writers that read the same version cannot both succeed.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  StateConditionFailed,
  StateUnavailable,
  queryLimit,
  type NewStateItem,
  type QueryOptions,
  type StateItem,
  type StateKey,
  type StatePage,
  type StateTable,
  type WriteCondition,
} from './state-table.ts';

export const STATE_INDEX_NAME = 'byIndex';
const MAX_INCREMENT_TRIES = 5;

type Attributes = Record<string, unknown>;

export interface DynamoDbStateTableOptions {
  /** The clock in milliseconds: decides which items have expired. */
  now?: () => number;
}

export class DynamoDbStateTable implements StateTable {
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoDbStateTableOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A call to the table: a failed condition stays what it is; any other failure is the table being unavailable. */
  private async send<Output>(call: () => Promise<Output>): Promise<Output> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw new StateUnavailable(this.tableName, error);
    }
  }

  async get<Data>(key: StateKey): Promise<StateItem<Data> | undefined> {
    const { Item } = await this.send(() =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: keyAttributes(key), ConsistentRead: true })),
    );
    const attributes = Item ? unmarshall(Item) : undefined;
    return attributes && this.isLive(attributes) ? toItem<Data>(attributes) : undefined;
  }

  async put<Data>(item: NewStateItem<Data>, condition: WriteCondition): Promise<StateItem<Data>> {
    const names: Record<string, string> = { '#ttl': 'ttl' };
    const values: Attributes = { ':one': 1, ':d': item.data ?? {} };
    const set = ['d = :d'];
    const remove = ['n'];
    if (item.expiresAt === undefined) remove.push('#ttl');
    else {
      set.push('#ttl = :ttl');
      values[':ttl'] = item.expiresAt;
    }
    if (item.index === undefined) remove.push('ipk', 'isk');
    else {
      set.push('ipk = :ipk', 'isk = :isk');
      values[':ipk'] = item.index.pk;
      values[':isk'] = item.index.sk;
    }
    const conditionExpression = this.condition(condition, values);
    try {
      const { Attributes: written } = await this.send(() =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: keyAttributes(item),
            UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')} ADD v :one`,
            ...(conditionExpression ? { ConditionExpression: conditionExpression } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: valuesOf(values),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toItem<Data>(written ? unmarshall(written) : {});
    } catch (error) {
      throw conditionFailure(error, item) ?? error;
    }
  }

  async delete(key: StateKey, condition: WriteCondition): Promise<void> {
    const values: Attributes = {};
    const conditionExpression = this.condition(condition, values);
    try {
      await this.send(() =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: keyAttributes(key),
            ...(conditionExpression
              ? { ConditionExpression: conditionExpression, ExpressionAttributeNames: { '#ttl': 'ttl' }, ExpressionAttributeValues: valuesOf(values) }
              : {}),
          }),
        ),
      );
    } catch (error) {
      throw conditionFailure(error, key) ?? error;
    }
  }

  async query<Data>(pk: string, options: QueryOptions = {}): Promise<StatePage<Data>> {
    const limit = queryLimit(options);
    const [pkName, skName] = options.index ? ['ipk', 'isk'] : ['pk', 'sk'];
    const items: StateItem<Data>[] = [];
    let startKey: Record<string, AttributeValue> | undefined = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    do {
      const page = await this.send(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            ...(options.index ? { IndexName: STATE_INDEX_NAME } : { ConsistentRead: true }),
            KeyConditionExpression: options.skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
            FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
            ExpressionAttributeNames: { '#pk': pkName, '#ttl': 'ttl', ...(options.skPrefix ? { '#sk': skName } : {}) },
            ExpressionAttributeValues: valuesOf({
              ':pk': pk,
              ':now': this.nowSeconds(),
              ...(options.skPrefix ? { ':prefix': options.skPrefix } : {}),
            }),
            Limit: limit - items.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const attributes of page.Items ?? []) items.push(toItem<Data>(unmarshall(attributes)));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    return { items, ...(startKey ? { cursor: encodeCursor(startKey) } : {}) };
  }

  async increment(key: StateKey, by: number, expiresAt: number): Promise<number> {
    for (let attempt = 0; attempt < MAX_INCREMENT_TRIES; attempt++) {
      try {
        return await this.addToLiveCounter(key, by);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      try {
        return await this.startCounter(key, by, expiresAt);
      } catch (error) {
        // Another instance started it between the two calls: add to theirs.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new StateConditionFailed(key);
  }

  private async addToLiveCounter(key: StateKey, by: number): Promise<number> {
    const { Attributes: written } = await this.send(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(key),
          UpdateExpression: 'ADD n :by, v :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#ttl) OR #ttl > :now)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: valuesOf({ ':by': by, ':one': 1, ':now': this.nowSeconds() }),
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Number(written ? unmarshall(written).n : by);
  }

  private async startCounter(key: StateKey, by: number, expiresAt: number): Promise<number> {
    await this.send(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(key),
          UpdateExpression: 'SET n = :by, #ttl = :ttl, d = :d REMOVE ipk, isk ADD v :one',
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: valuesOf({ ':by': by, ':ttl': expiresAt, ':d': {}, ':one': 1, ':now': this.nowSeconds() }),
        }),
      ),
    );
    return by;
  }

  /** The condition expression of a write (undefined for `any`), adding its values to `values`. */
  private condition(condition: WriteCondition, values: Attributes): string | undefined {
    if (condition.kind === 'any') return undefined;
    values[':now'] = this.nowSeconds();
    if (condition.kind === 'absent') return 'attribute_not_exists(pk) OR #ttl <= :now';
    values[':version'] = condition.version;
    return 'v = :version AND (attribute_not_exists(#ttl) OR #ttl > :now)';
  }

  private isLive(attributes: Attributes): boolean {
    const ttl = attributes.ttl;
    return typeof ttl !== 'number' || ttl > this.nowSeconds();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function keyAttributes(key: StateKey): Record<string, AttributeValue> {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

function valuesOf(values: Attributes): Record<string, AttributeValue> {
  return marshall(values, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

function toItem<Data>(attributes: Attributes): StateItem<Data> {
  const data = { ...((attributes.d as Record<string, unknown> | undefined) ?? {}) };
  if (typeof attributes.n === 'number') data.count = attributes.n;
  return {
    pk: String(attributes.pk),
    sk: String(attributes.sk),
    version: Number(attributes.v ?? 0),
    ...(typeof attributes.ttl === 'number' ? { expiresAt: attributes.ttl } : {}),
    ...(typeof attributes.ipk === 'string' && typeof attributes.isk === 'string' ? { index: { pk: attributes.ipk, sk: attributes.isk } } : {}),
    data: data as Data,
  };
}

function conditionFailure(error: unknown, key: StateKey): StateConditionFailed | undefined {
  return error instanceof ConditionalCheckFailedException ? new StateConditionFailed(key) : undefined;
}

function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(unmarshall(key))).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, AttributeValue> {
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RangeError('not a state query cursor');
  return marshall(parsed);
}
