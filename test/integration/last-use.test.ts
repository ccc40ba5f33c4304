/**
 * Last use, recorded at click time, over real HTTP against moto's DynamoDB: each successful POST /federate
 * leaves one item per (person, pair) with the time and the channel; a refused click leaves none; a state
 * table that fails does not fail the click, and the lost write is logged with who and what (never the URL).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import type { LastUseTimes } from '../../backend/access/last-use.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import type { ApiDeps } from '../../backend/api/deps.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { createDynamoDbClient } from '../../backend/aws/clients.ts';
import { apiConfig } from '../../backend/config/config.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { DynamoDbStateTable } from '../../backend/state/dynamodb-state-table.ts';
import { lastUseKey, lastUsePartition } from '../../backend/state/layout.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/aws-fault-proxy.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let awsProxy: FaultProxy;
let api: RunningServer;
let deps: ApiDeps;
let table: DynamoDbStateTable;
let alice: SessionResponse;
let target: Entitlement;
const logger = recordingLogger('switchyard-api', 'WARN');
const { call, signIn } = apiCaller(() => api.url);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  awsProxy = await startFaultProxy(stack.moto.endpoint);
  const config = apiConfig({ ...stack.env, SWITCHYARD_AWS_ENDPOINT: awsProxy.endpoint, SWITCHYARD_AWS_MAX_ATTEMPTS: '2' });
  deps = await assembleApi(config, { credentials: stack.moto.settings.credentials, logger });
  api = await serveApi(makeApiApp(deps), 0);
  table = new DynamoDbStateTable(createDynamoDbClient(stack.moto.settings), config.stateTable);
  alice = await signIn('alice', 'alice-demo-password');
  const found = alice.entitlements.find((e) => e.accountName === 'payments-dev' && e.permissionSet === 'Developer');
  if (!found) throw new Error('the demo policy no longer gives alice Developer on payments-dev');
  target = found;
});

afterAll(async () => {
  await api?.close();
  await awsProxy?.close();
  await stack?.stop();
});

beforeEach(() => {
  logger.entries.length = 0;
  awsProxy.clear();
});

async function open(pair: { accountId: string; permissionSet: string }) {
  return call('/federate', { method: 'POST', token: alice.token, json: { accountId: pair.accountId, permissionSet: pair.permissionSet } });
}

describe('last use', () => {
  it('a successful click writes one item for the person and pair with the time and the console channel', async () => {
    const before = new Date().toISOString();
    const answer = await open(target);
    expect(answer.status).toBe(200);
    await deps.lastUse.settled();
    const after = new Date().toISOString();
    const item = await table.get<LastUseTimes>(lastUseKey(alice.user.id, target.accountId, target.permissionSet));
    expect(Object.keys(item?.data ?? {})).toEqual(['console']);
    const first = item?.data.console ?? '';
    expect(first >= before && first <= after).toBe(true);

    expect((await open(target)).status).toBe(200);
    await deps.lastUse.settled();
    const again = await table.get<LastUseTimes>(lastUseKey(alice.user.id, target.accountId, target.permissionSet));
    expect((again?.data.console ?? '') > first).toBe(true);
    const pairs = (await table.query(lastUsePartition(alice.user.id))).items.filter((i) => i.sk === item?.sk);
    expect(pairs).toHaveLength(1);
  });

  it('credentials for the terminal record the CLI channel in the same item, keeping the console time', async () => {
    expect((await open(target)).status).toBe(200);
    await deps.lastUse.settled();
    const answer = await call('/credentials', {
      method: 'POST',
      token: alice.token,
      json: { accountId: target.accountId, permissionSet: target.permissionSet },
    });
    expect(answer.status, answer.text).toBe(200);
    await deps.lastUse.settled();
    const item = await table.get<LastUseTimes>(lastUseKey(alice.user.id, target.accountId, target.permissionSet));
    expect(Object.keys(item?.data ?? {}).sort()).toEqual(['cli', 'console']);
  });

  it('a state table that cannot be read answers 503 state_unavailable, naming no secret and no stack', async () => {
    awsProxy.add({
      matches: (seen) => seen.call.startsWith('DynamoDB') && /:GetItem$/.test(seen.call),
      status: 500,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected by the test' }),
    });
    const answer = await open(target);
    expect(answer.status).toBe(503);
    expect(expectError(answer, 503, 'state_unavailable')).toMatch(/state table/);
    expect(answer.text).not.toMatch(/at \w+ \(|node_modules|InternalServerError/);
  });

  it('a refused click records nothing', async () => {
    const stranger = { accountId: target.accountId, permissionSet: 'NoSuchPermissionSet' };
    expectError(await open(stranger), 403, 'forbidden');
    await deps.lastUse.settled();
    expect(await table.get(lastUseKey(alice.user.id, stranger.accountId, stranger.permissionSet))).toBeUndefined();
  });

  it('a failing state table does not fail the click, and the lost write is logged without the sign-in URL', async () => {
    awsProxy.add({
      // Writes fail; reads still answer, as the signed-in check of every request needs them.
      matches: (seen) => seen.call.startsWith('DynamoDB') && /:UpdateItem$/.test(seen.call),
      status: 500,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected by the test' }),
    });
    const answer = await open(target);
    expect(answer.status).toBe(200);
    await deps.lastUse.settled();
    const lost = logger.entries.filter((entry) => entry.message === 'last use not recorded');
    expect(lost).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({
          user: alice.user.id,
          accountId: target.accountId,
          permissionSet: target.permissionSet,
          channel: 'console',
        }),
      }),
    ]);
    expect(logger.text()).not.toContain((answer.body as FederateResponse).url);
  });
});
