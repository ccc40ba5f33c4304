/**
 * The bundled Lambda entries (dist/lambda, built by `npm run build`) wired from their environment
 * as in production, against the local stack's moto, bucket and identity pool.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/contract.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';

const bundle = (name: string) => fileURLToPath(new URL(`../../dist/lambda/${name}/index.mjs`, import.meta.url));
type Handler = (event: unknown) => Promise<{ statusCode?: number; body?: string; ran?: boolean; status?: string }>;

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
    SWITCHYARD_LOG_LEVEL: 'ERROR',
    SWITCHYARD_POLICY_BUCKET: stack.bucket,
    SWITCHYARD_POLICY_PREFIX: PREFIX,
    SWITCHYARD_IDENTITY_POOL_ID: stack.identityPoolId,
    SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.local',
    SWITCHYARD_SESSION_SECRET: randomBytes(32).toString('base64'),
    SWITCHYARD_DIRECTORY_FILE: fileURLToPath(new URL('../../backend/local/demo/directory.json', import.meta.url)),
    SWITCHYARD_FEDERATION_ENDPOINT: stack.federationUrl,
  });
});

afterAll(async () => {
  await stack?.stop();
});

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
  it('api: signs in from the published policy and opens a console', async () => {
    const { handler } = (await import(bundle('api'))) as { handler: Handler };
    const session = await handler(httpEvent('POST', '/session', { username: 'bob', password: 'bob-demo-password' }));
    expect(session.statusCode).toBe(200);
    const { token, entitlements } = JSON.parse(session.body ?? '{}') as SessionResponse;
    expect(entitlements.map((e) => `${e.accountName}/${e.permissionSet}`).sort()).toEqual(['data-prod/ReadOnly', 'payments-prod/ReadOnly']);

    const federate = await handler({
      ...httpEvent('POST', '/federate', { accountId: entitlements[0]?.accountId, permissionSet: 'ReadOnly' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(federate.statusCode).toBe(200);
    expect(JSON.parse(federate.body ?? '{}').url).toMatch(new RegExp(`^${stack.federationUrl}\\?Action=login&`));
    expect((await handler(httpEvent('GET', '/nope'))).statusCode).toBe(404);
  });

  it('reconciler: reconciles when a push is committed under its prefix, and ignores everything else', async () => {
    const { handler } = (await import(bundle('reconciler'))) as { handler: Handler };
    const record = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: stack.bucket }, object: { key } } });
    expect(await handler({ Records: [record(`${PREFIX}_switchyard/report.json`)] })).toMatchObject({ ran: false });
    expect(await handler({ Records: [record('_switchyard/current.json')] })).toMatchObject({ ran: false });
    expect(await handler({ Records: [record(`${PREFIX}_switchyard/current.json`)] })).toMatchObject({ ran: true, status: 'applied' });
  });
});
