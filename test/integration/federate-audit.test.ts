/**
 * The audit record of POST /federate, over real HTTP: exactly one structured record per attempt, with who,
 * what, where from and how it ended, and never the sign-in URL, a token or a credential. The test reads
 * every stream the process writes (stdout, stderr) and every entry the logger was given, on success and on
 * the failure of each AWS call: the identity pool, STS, and the federation endpoint.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { emfMetrics } from '../../backend/metrics/emf-metrics.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { AwsCallRecorder } from '../helpers/aws-call-recorder.ts';
import { jsonError, queryError, startFaultProxy, type Fault, type FaultProxy } from '../helpers/aws-fault-proxy.ts';
import { apiCaller } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let awsProxy: FaultProxy;
let federationProxy: FaultProxy;
let api: RunningServer;
let alice: SessionResponse;
let target: Entitlement;
const recorder = new AwsCallRecorder();
const logger = recordingLogger('switchyard-api', 'DEBUG');
const written: string[] = [];
const { call, signIn } = apiCaller(() => api.url);
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  awsProxy = await startFaultProxy(stack.moto.endpoint);
  federationProxy = await startFaultProxy(new URL(stack.federationUrl).origin);
  const deps = await assembleApi(
    apiConfig({
      ...stack.env,
      SWITCHYARD_AWS_ENDPOINT: awsProxy.endpoint,
      SWITCHYARD_FEDERATION_ENDPOINT: `${federationProxy.endpoint}/federation`,
      SWITCHYARD_AWS_MAX_ATTEMPTS: '2',
    }),
    { credentials: stack.moto.settings.credentials, logger, awsObserver: recorder, metrics: emfMetrics('switchyard-api-test') },
  );
  api = await serveApi(makeApiApp(deps), 0);
  for (const [stream, original] of [
    [process.stdout, originalStdout],
    [process.stderr, originalStderr],
  ] as const) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  alice = await signIn('alice', 'alice-demo-password');
  const found = alice.entitlements.find((e) => e.accountName === 'payments-dev' && e.permissionSet === 'Developer');
  if (!found) throw new Error('the demo policy no longer gives alice Developer on payments-dev');
  target = found;
});

afterAll(async () => {
  process.stdout.write = originalStdout;
  process.stderr.write = originalStderr;
  await api?.close();
  await awsProxy?.close();
  await federationProxy?.close();
  await stack?.stop();
});

beforeEach(() => {
  written.length = 0;
  logger.entries.length = 0;
  recorder.calls.length = 0;
  awsProxy.clear();
  federationProxy.clear();
});

/** Every secret the attempt handled: what the person sent, what AWS returned, what the federation endpoint was given. */
function secretsOf(answerUrl?: string): string[] {
  const secrets = ['alice-demo-password', alice.token];
  for (const recorded of recorder.calls) {
    const output = recorded.output as
      { Token?: string; Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } } | undefined;
    if (output?.Token) secrets.push(output.Token);
    if (output?.Credentials)
      secrets.push(output.Credentials.AccessKeyId ?? '', output.Credentials.SecretAccessKey ?? '', output.Credentials.SessionToken ?? '');
    if (typeof recorded.input.WebIdentityToken === 'string') secrets.push(recorded.input.WebIdentityToken);
  }
  for (const seen of federationProxy.seen) {
    const session = new URL(seen.path, 'http://x').searchParams.get('Session');
    if (session) secrets.push(session, encodeURIComponent(session));
  }
  if (answerUrl) {
    const url = new URL(answerUrl);
    secrets.push(answerUrl, url.searchParams.get('SigninToken') ?? '', url.search);
  }
  return secrets.filter((secret) => secret.length >= 8);
}

function expectNoSecretAnywhere(secrets: string[]) {
  const streams = { stdout_and_stderr: written.join(''), logger: logger.text() };
  for (const [name, text] of Object.entries(streams)) {
    for (const secret of secrets) expect(text.includes(secret), `${name} holds a secret (${secret.slice(0, 6)}...)`).toBe(false);
  }
}

/** The embedded-metric-format documents written to stdout (Powertools Metrics), which CloudWatch turns into metrics. */
function emfDocuments(): Record<string, unknown>[] {
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The one metric line an attempt that ended with `outcome` writes, exactly as CloudWatch reads it. */
function roleAccessDocument(outcome: string) {
  return {
    _aws: {
      Timestamp: expect.any(Number) as number,
      CloudWatchMetrics: [
        { Namespace: 'Switchyard', Dimensions: [['service', 'Access', 'Outcome']], Metrics: [{ Name: 'RoleAccessAnswers', Unit: 'Count' }] },
      ],
    },
    service: 'switchyard-api-test',
    Access: 'console',
    Outcome: outcome,
    RoleAccessAnswers: 1,
  };
}

function auditRecords() {
  return logger.entries.filter((entry) => entry.message === 'federation attempt');
}

async function attempt() {
  return call('/federate', {
    method: 'POST',
    token: alice.token,
    headers: { 'user-agent': 'SwitchyardTest/1.0' },
    json: {
      accountId: target.accountId,
      permissionSet: 'Developer',
      destination: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1',
    },
  });
}

describe('one audit record per attempt, and no secret in any stream', () => {
  it('on success', async () => {
    const response = await attempt();
    expect(response.status).toBe(200);
    const records = auditRecords();
    expect(records).toHaveLength(1);
    expect(records[0]?.level).toBe('info');
    expect(records[0]?.fields).toMatchObject({
      outcome: 'opened',
      status: 200,
      user: 'alice@corp.example.com',
      accountId: target.accountId,
      permissionSet: 'Developer',
      region: 'eu-west-1',
      destinationHost: 'eu-west-1.console.aws.amazon.com',
      sourceIp: '127.0.0.1',
      userAgent: 'SwitchyardTest/1.0',
    });
    const fields = records[0]?.fields ?? {};
    expect(fields.requestId).toMatch(/^[a-z2-7]{12}$/);
    expect(fields.sessionName).toBe(`alice@corp.example.com+${String(fields.requestId)}`);
    expect(fields.durationMs).toBeGreaterThan(0);
    expect(fields.upstreamMs).toBeGreaterThan(0);
    expect(typeof fields.webIdentity).toBe('string');
    // The record reached stdout as one JSON line.
    expect(written.join('')).toContain(`"message":"federation attempt"`);
    // And the attempt was counted, once, by how it ended.
    expect(emfDocuments()).toEqual([roleAccessDocument('opened')]);
    expectNoSecretAnywhere(secretsOf((response.body as FederateResponse).url));
  });

  it.each<[string, () => { proxy: () => FaultProxy; fault: Fault }, RegExp]>([
    [
      'the identity pool fails',
      () => ({ proxy: () => awsProxy, fault: jsonError('GetOpenIdTokenForDeveloperIdentity', 'InternalErrorException', { status: 500 }) }),
      /identity pool/,
    ],
    [
      'STS fails',
      () => ({ proxy: () => awsProxy, fault: queryError('AssumeRoleWithWebIdentity', 'AccessDenied') }),
      /AWS refused Switchyard-Developer/,
    ],
    [
      'the federation endpoint fails, echoing the request',
      () => ({
        proxy: () => federationProxy,
        fault: {
          matches: (seen) => seen.call === 'HTTP:GET /federation',
          status: 500,
          headers: { 'content-type': 'text/plain' },
          body: '', // replaced below by the request it got
        },
      }),
      /the federation endpoint .* answered HTTP 500/,
    ],
  ])('when %s', async (_name, setup, reason) => {
    const { proxy, fault } = setup();
    if (fault.body === '') {
      // An endpoint that quotes the request back, credentials included: the message must still not.
      const echo = proxy().add({ ...fault, body: 'echo' });
      echo.matches = (seen) => {
        if (seen.call !== 'HTTP:GET /federation') return false;
        echo.body = `bad request ${seen.path}`;
        return true;
      };
    } else {
      proxy().add(fault);
    }
    const response = await attempt();
    expect(response.status).toBe(502);
    const records = auditRecords();
    expect(records).toHaveLength(1);
    expect(records[0]?.level).toBe('error');
    expect(records[0]?.fields).toMatchObject({
      outcome: 'upstream_failure',
      status: 502,
      user: 'alice@corp.example.com',
      accountId: target.accountId,
      permissionSet: 'Developer',
      region: 'eu-west-1',
      destinationHost: 'eu-west-1.console.aws.amazon.com',
      sourceIp: '127.0.0.1',
      userAgent: 'SwitchyardTest/1.0',
    });
    expect(String(records[0]?.fields.reason)).toMatch(reason);
    expect(response.text).toContain(String(records[0]?.fields.requestId));
    expect(emfDocuments()).toEqual([roleAccessDocument('upstream_failure')]);
    const secrets = secretsOf();
    expect(secrets.length).toBeGreaterThan(2);
    expectNoSecretAnywhere([...secrets, ...secrets.map((secret) => JSON.stringify(secret).slice(1, -1))]);
    expect(response.text.includes(alice.token)).toBe(false);
    for (const secret of secrets) expect(response.text.includes(secret)).toBe(false);
  });

  it('on refusals before any AWS call: one record each, with the outcome', async () => {
    await call('/federate', { method: 'POST', json: { accountId: target.accountId, permissionSet: 'Developer' } });
    await call('/federate', {
      method: 'POST',
      token: alice.token,
      json: { accountId: target.accountId, permissionSet: 'Developer', destination: '//evil.example.com/' },
    });
    await call('/federate', { method: 'POST', token: alice.token, json: { accountId: '000000000000', permissionSet: 'Developer' } });
    expect(auditRecords().map((entry) => [entry.fields.outcome, entry.fields.status, entry.fields.destinationHost])).toEqual([
      ['unauthorized', 401, undefined],
      ['bad_request', 400, 'evil.example.com'],
      ['forbidden', 403, undefined],
    ]);
    expect(emfDocuments()).toEqual([roleAccessDocument('unauthorized'), roleAccessDocument('bad_request'), roleAccessDocument('forbidden')]);
    expect(recorder.calls).toEqual([]);
    expectNoSecretAnywhere(secretsOf());
  });

  it('on a body refused before the route runs: the record still names the person, and the field', async () => {
    await call('/federate', { method: 'POST', token: alice.token, json: { accountId: '12345', permissionSet: 'Developer' } });
    await call('/federate', { method: 'POST', token: alice.token, headers: { 'content-type': 'application/json' }, body: '{"accountId":' });
    expect(auditRecords().map((entry) => [entry.fields.outcome, entry.fields.status, entry.fields.user, entry.fields.reason])).toEqual([
      ['bad_request', 400, 'alice@corp.example.com', 'accountId: accountId must be exactly 12 digits'],
      ['invalid_json', 400, 'alice@corp.example.com', 'the body is not valid JSON'],
    ]);
    expect(recorder.calls).toEqual([]);
  });
});
