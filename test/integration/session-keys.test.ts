/**
 * Session keys as production reads them: a key set in Secrets Manager or an SSM SecureString (moto),
 * tokens carrying the id of the key that signed them, two API instances reading the same set.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { createSecretsManagerClient, createSsmClient } from '../../backend/aws/clients.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { captureOutput, type CapturedOutput } from '../helpers/capture-output.ts';

let stack: LocalStack;
let output: CapturedOutput;
const newest = randomBytes(32).toString('base64');
const older = randomBytes(32).toString('base64');
const keySet = JSON.stringify({
  keys: [
    { kid: '2026-10', secret: newest },
    { kid: '2026-07', secret: older },
  ],
});

beforeAll(async () => {
  output = captureOutput();
  stack = await startLocalStack({ apiPort: 0 });
});

afterAll(async () => {
  output?.restore();
  await stack?.stop();
});

async function api(keySource: EnvInput): Promise<{ url: string; close(): Promise<void> }> {
  const { SWITCHYARD_SESSION_SECRET: _secret, ...env } = stack.env;
  const deps = await assembleApi(apiConfig({ ...env, ...keySource }), {
    credentials: stack.moto.settings.credentials,
    logger: createLogger('switchyard-api-test', 'INFO'),
  });
  return serveApi(makeApiApp(deps), 0);
}

async function signIn(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bob', password: 'bob-demo-password' }),
  });
  return { status: response.status, body: await response.json() };
}

describe('session keys from AWS', () => {
  it('signs with the first key of a Secrets Manager key set; another instance with the same set accepts the token', async () => {
    const secret = await createSecretsManagerClient(stack.moto.settings).send(
      new CreateSecretCommand({ Name: 'switchyard/session-keys', SecretString: keySet }),
    );
    const first = await api({ SWITCHYARD_SESSION_KEY_SECRET_ARN: secret.ARN });
    const second = await api({ SWITCHYARD_SESSION_KEY_SECRET_ARN: secret.ARN });
    try {
      const { status, body } = await signIn(first.url);
      expect(status).toBe(200);
      const session = body as SessionResponse;
      expect(decodeProtectedHeader(session.token).kid).toBe('2026-10');
      expect(decodeProtectedHeader(session.refreshToken ?? '').kid).toBe('2026-10');
      const elsewhere = await fetch(`${second.url}/entitlements`, { headers: { authorization: `Bearer ${session.token}` } });
      expect(elsewhere.status).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('reads a key set from an SSM SecureString parameter', async () => {
    await createSsmClient(stack.moto.settings).send(
      new PutParameterCommand({ Name: '/switchyard/session-keys', Type: 'SecureString', Value: keySet }),
    );
    const ssm = await api({ SWITCHYARD_SESSION_KEY_PARAMETER: '/switchyard/session-keys' });
    try {
      const { status, body } = await signIn(ssm.url);
      expect(status).toBe(200);
      expect(decodeProtectedHeader((body as SessionResponse).token).kid).toBe('2026-10');
    } finally {
      await ssm.close();
    }
  });

  it('refuses to start on an unusable key set, naming the parameter and never its value', async () => {
    const weak = Buffer.from('a-short-but-secret-key').toString('base64');
    await createSsmClient(stack.moto.settings).send(new PutParameterCommand({ Name: '/switchyard/weak-keys', Type: 'SecureString', Value: weak }));
    const starting = api({ SWITCHYARD_SESSION_KEY_PARAMETER: '/switchyard/weak-keys' });
    const failure = await starting.then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toBe('SWITCHYARD_SESSION_KEY_PARAMETER (/switchyard/weak-keys): the session key must be base64 of at least 32 bytes');
    expect(message).not.toContain(weak);
    expect(output.text()).not.toContain(weak);
    expect(output.text()).not.toContain(newest);
  });

  it("refuses to start when the key secret cannot be read, naming the secret and AWS's error code", async () => {
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:switchyard/no-such-keys-AbCdEf';
    const failure = await api({ SWITCHYARD_SESSION_KEY_SECRET_ARN: missing }).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect((failure as Error | undefined)?.message).toBe(`cannot read Secrets Manager secret ${missing}: ResourceNotFoundException`);
  });
});
