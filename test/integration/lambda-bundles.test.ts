/**
 * The bundled Lambda entries (dist/lambda, built by `npm run build`) wired from their environment
 * as in production, against the local stack's moto, bucket and identity pool.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';
import { lambdaContext, s3Notification } from '../helpers/lambda-events.ts';

const bundle = (name: string) => fileURLToPath(new URL(`../../dist/lambda/${name}/index.mjs`, import.meta.url));
type Handler = (event: unknown, context: Context) => Promise<{ statusCode?: number; body?: string; ran?: boolean; status?: string }>;

let stack: LocalStack;
const PREFIX = 'teams/platform/';

beforeAll(async () => {
  for (const name of ['api', 'reconciler']) {
    if (!existsSync(bundle(name))) throw new Error(`${bundle(name)} is missing: run npm run build first`);
  }
  // A policy prefix, so the test also proves the API reads where the reconciler publishes.
  stack = await startLocalStack({ apiPort: 0, policyPrefix: PREFIX });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    SWITCHYARD_AWS_ENDPOINT: stack.moto.endpoint,
    SWITCHYARD_LOG_LEVEL: 'INFO',
    SWITCHYARD_POLICY_BUCKET: stack.bucket,
    SWITCHYARD_POLICY_PREFIX: PREFIX,
    SWITCHYARD_STATE_TABLE: stack.env.SWITCHYARD_STATE_TABLE,
    SWITCHYARD_IDENTITY_POOL_ID: stack.identityPoolId,
    SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.local',
    SWITCHYARD_SESSION_SECRET: randomBytes(32).toString('base64'),
    SWITCHYARD_DIRECTORY_FILE: fileURLToPath(new URL('../../backend/local/demo/directory.json', import.meta.url)),
    SWITCHYARD_FEDERATION_ENDPOINT: stack.federationUrl,
  });
});

let output: CapturedOutput | undefined;
afterAll(async () => {
  output?.restore();
  await stack?.stop();
});

/** The JSON log lines written while `work` ran. */
async function logLines(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  output = captureOutput();
  try {
    await work();
    return output
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    output.restore();
    output = undefined;
  }
}

function httpEvent(method: string, path: string, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method, path } } as APIGatewayProxyEventV2['requestContext'],
  };
}

describe('bundled Lambda entries', () => {
  it('api: signs in from the published policy and opens a console; its log lines carry the invocation', async () => {
    const { handler: lambda } = (await import(bundle('api'))) as { handler: Handler };
    let invocations = 0;
    const handler = (event: unknown) => lambda(event, lambdaContext('switchyard-api', `api-request-${++invocations}`));
    let session: Awaited<ReturnType<Handler>> = {};
    const lines = await logLines(async () => {
      session = await handler(httpEvent('POST', '/session', { username: 'bob', password: 'bob-demo-password' }));
    });
    expect(lines.find((line) => line.message === 'signed in')).toMatchObject({
      function_name: 'switchyard-api',
      function_request_id: 'api-request-1',
    });
    expect(session.statusCode).toBe(200);
    const { token, entitlements } = JSON.parse(session.body ?? '{}') as SessionResponse;
    expect(entitlements.map((e) => `${e.accountName}/${e.permissionSet}`).sort()).toEqual([
      'data-prod/ReadOnly',
      'payments-prod/Developer',
      'payments-prod/ReadOnly',
    ]);
    // Developer in payments-prod is offered on request (the demo's eligibility), not standing.
    expect(entitlements.find((e) => e.accountName === 'payments-prod' && e.permissionSet === 'Developer')?.eligible).toBeDefined();

    const federate = await handler({
      ...httpEvent('POST', '/federate', { accountId: entitlements[0]?.accountId, permissionSet: 'ReadOnly' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(federate.statusCode).toBe(200);
    expect(JSON.parse(federate.body ?? '{}').url).toMatch(new RegExp(`^${stack.federationUrl}\\?Action=login&`));
    expect((await handler(httpEvent('GET', '/nope'))).statusCode).toBe(404);
  });

  it('api: serves the web page npm run build put beside the bundle', async () => {
    const { handler: lambda } = (await import(bundle('api'))) as { handler: Handler };
    const page = (await lambda(httpEvent('GET', '/'), lambdaContext('switchyard-api', 'api-request-page'))) as {
      statusCode?: number;
      body?: string;
      headers?: Record<string, string>;
    };
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(await readFile(fileURLToPath(new URL('../../dist/lambda/api/web/index.html', import.meta.url)), 'utf8'));
  });

  it('reconciler: reconciles when a push is committed under its prefix, and ignores everything else', async () => {
    const { handler } = (await import(bundle('reconciler'))) as { handler: Handler };
    const context = lambdaContext('switchyard-reconciler', 'reconcile-request-1');
    expect(await handler(s3Notification(stack.bucket, [`${PREFIX}_switchyard/report.json`]), context)).toMatchObject({ ran: false });
    expect(await handler(s3Notification(stack.bucket, ['_switchyard/current.json']), context)).toMatchObject({ ran: false });
    let result: Awaited<ReturnType<Handler>> = {};
    const lines = await logLines(async () => {
      result = await handler(
        s3Notification(stack.bucket, [`${PREFIX}_switchyard/current.json`]),
        lambdaContext('switchyard-reconciler', 'reconcile-request-2'),
      );
    });
    expect(result).toMatchObject({ ran: true, status: 'applied' });
    expect(lines.find((line) => line.message === 'a push was committed')).toMatchObject({ function_request_id: 'reconcile-request-2' });
    // The run's outcome as embedded metric format, under the function's name: what the outcome alarms watch.
    expect(lines.find((line) => 'ReconcileRuns' in line)).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'Switchyard', Dimensions: [['service', 'Status']], Metrics: [{ Name: 'ReconcileRuns', Unit: 'Count' }] }],
      },
      service: 'switchyard-reconciler',
      Status: 'applied',
      ReconcileRuns: 1,
    });
  });
});
