/**
 * The exact inputs of every call one click makes, over real HTTP against moto and the federation
 * stand-in: GetOpenIdTokenForDeveloperIdentity (the switchyard:target tag that binds the token to one role),
 * AssumeRoleWithWebIdentity, getSigninToken and the login URL. A middleware records the SDK calls as sent;
 * a recording fetch sees the federation request. Also: AWS throttling is retried by the SDK, and a click
 * whose AWS call fails for good is a 502 that says which call and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { LOCAL_DEVELOPER_PROVIDER, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { AwsCallRecorder } from '../helpers/aws-call-recorder.ts';
import { jsonError, queryError, startFaultProxy, type FaultProxy } from '../helpers/aws-fault-proxy.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let proxy: FaultProxy;
let api: RunningServer;
let alice: SessionResponse;
let sandboxDeveloper: Entitlement;
const recorder = new AwsCallRecorder();
const federationRequests: URL[] = [];
const logger = recordingLogger('switchyard-test', 'SILENT');
const { call, signIn } = apiCaller(() => api.url);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  proxy = await startFaultProxy(stack.moto.endpoint);
  const recordingFetch: typeof fetch = async (input, init) => {
    federationRequests.push(new URL(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  const deps = await assembleApi(apiConfig({ ...stack.env, SWITCHYARD_AWS_ENDPOINT: proxy.endpoint, SWITCHYARD_AWS_MAX_ATTEMPTS: '3' }), {
    credentials: stack.moto.settings.credentials,
    logger,
    awsObserver: recorder,
    fetch: recordingFetch,
  });
  api = await serveApi(makeApiApp(deps), 0);
  alice = await signIn('alice', 'alice-demo-password');
  const found = alice.entitlements.find((e) => e.accountName === 'sandbox' && e.permissionSet === 'Developer');
  if (!found) throw new Error('the demo policy no longer gives alice Developer on sandbox');
  sandboxDeveloper = found;
});

afterAll(async () => {
  await api?.close();
  await proxy?.close();
  await stack?.stop();
});

function clickSandboxDeveloper() {
  return call('/federate', {
    method: 'POST',
    token: alice.token,
    json: { accountId: sandboxDeveloper.accountId, permissionSet: 'Developer', region: 'eu-west-1', destination: '/ec2/home#Instances:' },
  });
}

describe('what one click sends to AWS', () => {
  it('sends exactly these inputs, in this order, and binds the token to the one target role', async () => {
    recorder.calls.length = 0;
    federationRequests.length = 0;
    const response = await clickSandboxDeveloper();
    expect(response.status, response.text).toBe(200);
    const audit = logger.entries.filter((entry) => entry.message === 'federation attempt').at(-1)?.fields;
    const requestId = audit?.requestId as string;
    expect(requestId).toMatch(/^[a-z2-7]{12}$/);

    expect(recorder.calls.map((c) => `${c.service}:${c.operation}`)).toEqual([
      'CognitoIdentity:GetOpenIdTokenForDeveloperIdentity',
      'STS:AssumeRoleWithWebIdentity',
    ]);
    const [openId, assume] = recorder.calls;
    expect(openId?.input).toEqual({
      IdentityPoolId: stack.identityPoolId,
      Logins: { [LOCAL_DEVELOPER_PROVIDER]: 'alice@corp.example.com' },
      PrincipalTags: { 'switchyard:target': `${sandboxDeveloper.accountId}:Developer`, 'switchyard:user': 'alice@corp.example.com' },
      TokenDuration: 300,
    });
    expect(assume?.input).toEqual({
      RoleArn: `arn:aws:iam::${sandboxDeveloper.accountId}:role/switchyard/Switchyard-Developer`,
      RoleSessionName: `alice@corp.example.com+${requestId}`,
      WebIdentityToken: openId?.output?.Token,
      DurationSeconds: 4 * 3600,
    });
    expect(sandboxDeveloper.sessionDurationSeconds).toBe(4 * 3600);

    expect(federationRequests).toHaveLength(1);
    const tokenRequest = federationRequests[0] as URL;
    expect([...tokenRequest.searchParams.keys()].sort()).toEqual(['Action', 'Session', 'SessionDuration']);
    expect(tokenRequest.searchParams.get('Action')).toBe('getSigninToken');
    expect(tokenRequest.searchParams.get('SessionDuration')).toBe(String(4 * 3600));
    const credentials = assume?.output?.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    expect(JSON.parse(tokenRequest.searchParams.get('Session') ?? '')).toEqual({
      sessionId: credentials.AccessKeyId,
      sessionKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    });

    const login = new URL((response.body as FederateResponse).url);
    expect(`${login.origin}${login.pathname}`).toBe(stack.federationUrl);
    expect([...login.searchParams.keys()]).toEqual(['Action', 'Issuer', 'Destination', 'SigninToken']);
    expect(login.searchParams.get('Action')).toBe('login');
    expect(login.searchParams.get('Issuer')).toBe('Switchyard');
    expect(login.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:');
    expect(audit).toMatchObject({ outcome: 'opened', sessionName: `alice@corp.example.com+${requestId}`, region: 'eu-west-1' });
  });
});

describe('when AWS throttles or fails', () => {
  it('retries throttled calls with backoff (one logical call each) and opens the console', async () => {
    const cognito = proxy.add(jsonError('GetOpenIdTokenForDeveloperIdentity', 'TooManyRequestsException', { times: 2 }));
    const sts = proxy.add(queryError('AssumeRoleWithWebIdentity', 'Throttling', { times: 2 }));
    recorder.calls.length = 0;
    const response = await clickSandboxDeveloper();
    proxy.clear();
    expect(response.status, response.text).toBe(200);
    expect([proxy.answered.get(cognito), proxy.answered.get(sts)]).toEqual([2, 2]);
    expect(recorder.calls.map((c) => c.operation)).toEqual(['GetOpenIdTokenForDeveloperIdentity', 'AssumeRoleWithWebIdentity']);
  });

  it.each([
    [
      'the identity pool refuses',
      () => jsonError('GetOpenIdTokenForDeveloperIdentity', 'NotAuthorizedException'),
      /^could not open the console: the identity pool refused a token \(NotAuthorizedException\) \(request [a-z2-7]{12}\)$/,
    ],
    [
      'the identity pool stays throttled',
      () => jsonError('GetOpenIdTokenForDeveloperIdentity', 'TooManyRequestsException'),
      /the identity pool refused a token \(TooManyRequestsException, after 3 attempts\)/,
    ],
    [
      'STS denies the role',
      () => queryError('AssumeRoleWithWebIdentity', 'AccessDenied'),
      /AWS refused Switchyard-Developer in account \d{12} \(AccessDenied\): its trust policy may have been changed outside Switchyard/,
    ],
    [
      'STS refuses the duration',
      () => queryError('AssumeRoleWithWebIdentity', 'ValidationError'),
      /AWS refused Switchyard-Developer in account \d{12} \(ValidationError\) \(request/,
    ],
  ])(
    '%s: a 502 that names the call and AWS error',
    async (_name, fault, message) => {
      proxy.add(fault());
      const response = await clickSandboxDeveloper();
      proxy.clear();
      expect(expectError(response, 502, 'upstream_failure')).toMatch(message);
    },
    60_000,
  );
});
