/**
 * POST /credentials over real HTTP against the local stack: temporary credentials for one entitled pair
 * that moto's STS knows as the target role's session; the same refusals as POST /federate (401, 403, 409,
 * 503) and its own for a console-only permission set (403 console_only); one audit record per attempt with
 * the client's channel, and never a credential in any log.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsResponseSchema, type CredentialsResponse } from '../../shared/api/credentials.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { parsePublishedPolicy, serializePublishedPolicy } from '../../shared/plan/published-policy.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { createS3Client } from '../../backend/aws/clients.ts';
import { bucketLayout } from '../../backend/bucket/layout.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { RecordingMetrics } from '../../backend/metrics/recording-metrics.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { GetObjectCommand } from '@aws-sdk/client-s3';

let stack: LocalStack;
let api: RunningServer;
const servers: RunningServer[] = [];
const logger = recordingLogger('switchyard-api', 'SILENT');
const metrics = new RecordingMetrics();
const { call, signIn } = apiCaller(() => api.url);
let alice: SessionResponse;
let bob: SessionResponse;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  api = await serveOn(stack.env);
  alice = await signIn('alice', 'alice-demo-password');
  bob = await signIn('bob', 'bob-demo-password');
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await stack?.stop();
});

beforeEach(() => {
  logger.entries.length = 0;
  metrics.recorded.length = 0;
});

async function serveOn(env: Record<string, string | undefined>): Promise<RunningServer> {
  const deps = await assembleApi(apiConfig(env), { credentials: stack.moto.settings.credentials, logger, metrics });
  const server = await serveApi(makeApiApp(deps), 0);
  servers.push(server);
  return server;
}

const accountId = (name: string) => stack.accountIds.get(name) ?? '';
const audits = () => logger.entries.filter((entry) => entry.message === 'federation attempt');

function credentialsOf(session: SessionResponse, json: unknown, headers: Record<string, string> = {}) {
  return call('/credentials', { method: 'POST', token: session.token, json, headers });
}

describe('POST /credentials', () => {
  it("gives credentials that are the target role's session, for the permission set's session length", async () => {
    const started = Date.now();
    const answer = await credentialsOf(alice, { accountId: accountId('payments-dev'), permissionSet: 'Developer' });
    expect(answer.status, answer.text).toBe(200);
    const credentials: CredentialsResponse = CredentialsResponseSchema.parse(answer.body);
    expect(credentials.Region).toBe('eu-west-1');
    const lifetime = Date.parse(credentials.Expiration) - started;
    expect(lifetime).toBeGreaterThan(4 * 3600_000 - 60_000); // Developer: PT4H
    expect(lifetime).toBeLessThan(4 * 3600_000 + 60_000);

    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: stack.moto.endpoint,
      credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(
      new RegExp(`^arn:aws:sts::${accountId('payments-dev')}:assumed-role/Switchyard-Developer/alice@corp\\.example\\.com\\+`),
    );

    const records = audits();
    expect(records).toHaveLength(1);
    expect(records[0]?.fields).toMatchObject({
      outcome: 'issued',
      status: 200,
      access: 'credentials',
      channel: 'cli',
      user: 'alice@corp.example.com',
      accountId: accountId('payments-dev'),
      permissionSet: 'Developer',
      region: 'eu-west-1',
      expiresAt: credentials.Expiration,
    });
    expect(identity.Arn).toContain(String(records[0]?.fields.sessionName));
    for (const secret of [credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, alice.token]) {
      expect(logger.text()).not.toContain(secret);
    }
  });

  it('uses the region asked for, of the deployment partition only', async () => {
    const target = { accountId: accountId('payments-dev'), permissionSet: 'Developer' };
    const asked = await credentialsOf(alice, { ...target, region: 'ap-southeast-2' });
    expect((asked.body as CredentialsResponse).Region).toBe('ap-southeast-2');
    expect(expectError(await credentialsOf(alice, { ...target, region: 'cn-north-1' }), 400, 'bad_request')).toMatch(
      /^region: cn-north-1 belongs to aws-cn/,
    );
  });

  it('records the channel the client names, and refuses one the contract does not know', async () => {
    const target = { accountId: accountId('sandbox'), permissionSet: 'Developer' };
    expect((await credentialsOf(alice, target, { 'x-switchyard-channel': 'web' })).status).toBe(200);
    expectError(await credentialsOf(alice, target, { 'x-switchyard-channel': 'carrier-pigeon' }), 400, 'bad_request');
    expect(audits().map((record) => [record.fields.channel, record.fields.outcome])).toEqual([
      ['web', 'issued'],
      ['cli', 'bad_request'],
    ]);
  });

  it('refuses a console-only permission set with its own code, and a pair the person lacks as /federate does', async () => {
    const admin = { accountId: accountId('payments-prod'), permissionSet: 'AdministratorAccess' };
    expect(alice.entitlements.find((e) => e.accountId === admin.accountId && e.permissionSet === 'AdministratorAccess')?.consoleOnly).toBe(true);
    expect(expectError(await credentialsOf(alice, admin), 403, 'console_only')).toMatch(/console-only/);
    // The console stays open to it.
    expect((await call('/federate', { method: 'POST', token: alice.token, json: admin })).status).toBe(200);

    const developer = { accountId: accountId('payments-dev'), permissionSet: 'Developer' };
    expectError(await credentialsOf(bob, developer), 403, 'forbidden');
    expectError(await call('/federate', { method: 'POST', token: bob.token, json: developer }), 403, 'forbidden');
    // A pair the person lacks is a 403 even when its permission set is console-only: nothing is said of it.
    expectError(await credentialsOf(bob, admin), 403, 'forbidden');
    expect(audits().map((record) => [record.fields.access, record.fields.outcome])).toEqual([
      ['credentials', 'console_only'],
      ['console', 'opened'],
      ['credentials', 'forbidden'],
      ['console', 'forbidden'],
      ['credentials', 'forbidden'],
    ]);
    // Each attempt is counted by what it asked for and how it ended.
    expect(metrics.of('roleAccessAnswers').map((point) => point.dimensions)).toEqual([
      { Access: 'credentials', Outcome: 'console_only' },
      { Access: 'console', Outcome: 'opened' },
      { Access: 'credentials', Outcome: 'forbidden' },
      { Access: 'console', Outcome: 'forbidden' },
      { Access: 'credentials', Outcome: 'forbidden' },
    ]);
  });

  it('refuses without a session, or with an ended one (401), and checks the body', async () => {
    const target = { accountId: accountId('sandbox'), permissionSet: 'Developer' };
    expectError(await call('/credentials', { method: 'POST', json: target }), 401, 'unauthorized');
    expectError(await credentialsOf(alice, { ...target, destination: '/ec2/home' }), 400, 'bad_request');
    const carol = await signIn('alice', 'alice-demo-password');
    await call('/session/sign-out', { method: 'POST', token: carol.token, json: { refreshToken: carol.refreshToken } });
    expectError(await credentialsOf(carol, target), 401, 'unauthorized');
  });

  it('answers 409 for an assigned pair whose role is not in place, and 503 when no policy is published', async () => {
    const s3 = createS3Client(stack.moto.settings);
    const layout = bucketLayout();
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: layout.publishedPolicy }));
    const parsed = parsePublishedPolicy(JSON.parse(await object.Body!.transformToString()));
    if (!parsed.ok || !parsed.published.available) throw new Error('the local stack published no version-2 policy');
    const available = { ...parsed.published.available, [accountId('sandbox')]: [] };
    await s3.send(new CreateBucketCommand({ Bucket: 'credentials-partial' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'credentials-partial',
        Key: layout.publishedPolicy,
        Body: serializePublishedPolicy({ ...parsed.published, available, publishedAt: new Date().toISOString() }),
      }),
    );
    const partial = apiCaller(() => partialApi.url);
    const partialApi = await serveOn({ ...stack.env, SWITCHYARD_POLICY_BUCKET: 'credentials-partial' });
    const target = { accountId: accountId('sandbox'), permissionSet: 'Developer' };
    expectError(await partial.call('/credentials', { method: 'POST', token: alice.token, json: target }), 409, 'role_unavailable');

    await s3.send(new CreateBucketCommand({ Bucket: 'credentials-empty' }));
    const emptyApi = await serveOn({ ...stack.env, SWITCHYARD_POLICY_BUCKET: 'credentials-empty' });
    const empty = apiCaller(() => emptyApi.url);
    expectError(await empty.call('/credentials', { method: 'POST', token: alice.token, json: target }), 503, 'policy_unavailable');
  });
});
