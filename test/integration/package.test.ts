/**
 * The packaged Lambdas, as Lambda runs them: `npm run package` into a temp folder, each zip unpacked
 * into a task folder, its index.mjs imported by a fresh plain Node process (no TypeScript loader),
 * and `handler(event, context)` called with a sample event, against the local stack's moto (bucket,
 * identity pool, demo organization) and its stand-in for the federation endpoint. The API reads its
 * session key from a Secrets Manager secret, as deployed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { createSecretsManagerClient } from '../../backend/aws/clients.ts';
import { WEB_PAGE_CSP } from '../../backend/api/web-page.ts';
import { packageDeployment, PACKAGED_LDAP_CA, PACKAGED_WEB_PAGE, type PackageResult } from '../../backend/deploy/package.ts';
import { loadTemplate, parseTemplate } from '../../backend/deploy/template.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { s3Notification } from '../helpers/lambda-events.ts';

const PREFIX = 'teams/platform/';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZXhhbXBsZQ==\n-----END CERTIFICATE-----\n';

let scratch: string;
let packaged: PackageResult;
let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-package-'));
  await writeFile(join(scratch, 'corp-ca.pem'), CA);
  packaged = await packageDeployment({ outDir: join(scratch, 'deploy'), ldapCaFile: join(scratch, 'corp-ca.pem') });
  stack = await startLocalStack({ apiPort: 0, policyPrefix: PREFIX });
  const secrets = createSecretsManagerClient(stack.moto.settings);
  const secret = await secrets.send(new CreateSecretCommand({ Name: 'switchyard-session-key', SecretString: generatedLikeCloudFormation() }));
  env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    SWITCHYARD_AWS_ENDPOINT: stack.moto.endpoint,
    SWITCHYARD_LOG_LEVEL: 'ERROR',
    SWITCHYARD_POLICY_BUCKET: stack.bucket,
    SWITCHYARD_POLICY_PREFIX: PREFIX,
    SWITCHYARD_STATE_TABLE: stack.env.SWITCHYARD_STATE_TABLE ?? '',
    SWITCHYARD_IDENTITY_POOL_ID: stack.identityPoolId,
    SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.local',
    SWITCHYARD_SESSION_KEY_SECRET_ARN: secret.ARN ?? '',
    SWITCHYARD_DIRECTORY_FILE: fileURLToPath(new URL('../../backend/local/demo/directory.json', import.meta.url)),
    SWITCHYARD_FEDERATION_ENDPOINT: stack.federationUrl,
  };
}, 180_000);

/** What GenerateSecretString makes of PasswordLength 64, ExcludePunctuation: 64 letters and digits. */
function generatedLikeCloudFormation(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(64)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

afterAll(async () => {
  await stack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Unpacks a Lambda's zip into its own task folder, as Lambda does into /var/task. */
async function unpack(name: string): Promise<{ taskDir: string; entries: Record<string, Uint8Array> }> {
  const lambda = packaged.lambdas.find((candidate) => candidate.name === name);
  if (!lambda) throw new Error(`no package for ${name}`);
  const entries = unzipSync(await readFile(join(packaged.outDir, lambda.zipPath)));
  const taskDir = join(scratch, `task-${name}`);
  await mkdir(taskDir, { recursive: true });
  for (const [path, bytes] of Object.entries(entries)) {
    await mkdir(dirname(join(taskDir, path)), { recursive: true });
    await writeFile(join(taskDir, path), bytes);
  }
  return { taskDir, entries };
}

/**
 * What the Node.js runtime does: import index.mjs from the task folder, call handler(event, context),
 * and report an error by its stack. The results go back on a pipe of their own (fd 3), as Lambda's runtime
 * API is apart from the log: stdout is the function's log (its metrics, in embedded metric format, among it). Left to Node, an uncaught error is printed after the bundle's
 * minified source line (100 KB), and a process that exits while that is still being written to the
 * pipe loses its end, the error's message with it.
 */
const RUNTIME = `
try {
  const { handler } = await import(process.env.TASK_HANDLER_URL);
  const context = { functionName: 'switchyard', awsRequestId: 'request-1', getRemainingTimeInMillis: () => 15000 };
  const results = [];
  for (const event of JSON.parse(process.env.TASK_EVENTS)) results.push(await handler(event, context));
  (await import('node:fs')).writeSync(3, JSON.stringify(results));
} catch (error) {
  process.stderr.write(String(error?.stack ?? error));
  process.exitCode = 1;
}
`;

interface InvokeResult {
  statusCode?: number;
  body?: string;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
  ran?: boolean;
  status?: string;
}

/** The results of each event, and what the function wrote to its log (stdout). */
async function invokeLogged(taskDir: string, events: unknown[]): Promise<{ results: InvokeResult[]; log: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RUNTIME], {
    cwd: taskDir,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      LAMBDA_TASK_ROOT: taskDir,
      TASK_HANDLER_URL: pathToFileURL(join(taskDir, 'index.mjs')).href,
      TASK_EVENTS: JSON.stringify(events),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let results = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (results += chunk.toString()));
  // 'close', not 'exit': the output may still be in the pipes when the process has exited.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`the packaged handler exited ${code}: ${stderr}`);
  return { results: JSON.parse(results) as InvokeResult[], log: stdout };
}

async function invoke(taskDir: string, events: unknown[]): Promise<InvokeResult[]> {
  return (await invokeLogged(taskDir, events)).results;
}

/** Each entry's Unix permission bits, from the zip's central directory (what Lambda's unzip applies). */
function centralDirectory(zip: Uint8Array): { name: string; madeOnUnix: boolean; mode: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries: { name: string; madeOnUnix: boolean; mode: number }[] = [];
  for (let at = 0; at + 46 <= zip.byteLength; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      madeOnUnix: view.getUint8(at + 5) === 3,
      mode: (view.getUint32(at + 38, true) >>> 16) & 0o777,
    });
  }
  return entries;
}

function httpEvent(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method, path, sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'request-1' },
  };
}

describe('npm run package', () => {
  it('zips each Lambda with index.mjs at the root, readable by everyone, named by its content', async () => {
    expect(packaged.lambdas.map((lambda) => lambda.name)).toEqual(['access-report', 'api', 'reconciler']);
    for (const lambda of packaged.lambdas) {
      expect(lambda.zipPath).toMatch(new RegExp(`^lambda/${lambda.name}-[0-9a-f]{16}\\.zip$`));
      expect(lambda.zipBytes).toBeLessThan(lambda.codeBytes);
    }
    for (const lambda of packaged.lambdas) {
      for (const entry of centralDirectory(await readFile(join(packaged.outDir, lambda.zipPath)))) {
        expect(entry, lambda.name).toMatchObject({ madeOnUnix: true, mode: 0o644 });
      }
    }
    const api = Object.keys((await unpack('api')).entries);
    expect(api.filter((path) => !path.startsWith(`${PACKAGED_WEB_PAGE}/`)).sort()).toEqual(['index.mjs', PACKAGED_LDAP_CA]);
    expect(api).toContain(`${PACKAGED_WEB_PAGE}/index.html`);
    expect(
      api.filter((path) => path.startsWith(`${PACKAGED_WEB_PAGE}/`)).every((path) => /^web\/(index\.html|assets\/[\w.-]+)(\.br|\.gz)?$/.test(path)),
    ).toBe(true);
    expect(Object.keys((await unpack('reconciler')).entries)).toEqual(['index.mjs']);
    // The access report reaches the directory over LDAPS too.
    expect(Object.keys((await unpack('access-report')).entries).sort()).toEqual(['index.mjs', PACKAGED_LDAP_CA]);
  });

  it('writes templates whose code keys name exactly these zips', async () => {
    const template = parseTemplate(await readFile(join(packaged.outDir, 'management.yaml'), 'utf8'));
    const keys = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => JSON.stringify((resource.Properties?.Code as { S3Key: unknown }).S3Key));
    expect(keys.sort()).toEqual(packaged.lambdas.map((lambda) => JSON.stringify({ 'Fn::Sub': `\${CodePrefix}${lambda.key}` })).sort());
    // Nothing else differs from the source template.
    const source = loadTemplate('management');
    for (const resource of Object.values(source.Resources)) delete (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
    for (const resource of Object.values(template.Resources)) delete (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
    expect(template).toEqual(source);
    expect(await readFile(join(packaged.outDir, 'member.yaml'), 'utf8')).toBe(
      await readFile(fileURLToPath(new URL('../../backend/deploy/templates/member.yaml', import.meta.url)), 'utf8'),
    );
  });

  it('refuses an LDAP CA file that is not PEM, naming it', async () => {
    await writeFile(join(scratch, 'not-a-ca.txt'), 'hello');
    await expect(packageDeployment({ outDir: join(scratch, 'refused'), ldapCaFile: join(scratch, 'not-a-ca.txt') })).rejects.toThrow(
      /--ldap-ca .*not-a-ca\.txt: not a PEM bundle/,
    );
  });
});

describe('packaged Lambdas, loaded from their zips as Lambda loads them', () => {
  it('api: signs in (session key from Secrets Manager) and opens a console', async () => {
    const { taskDir } = await unpack('api');
    const [health, session] = await invoke(taskDir, [
      httpEvent('GET', '/health'),
      httpEvent('POST', '/session', { username: 'bob', password: 'bob-demo-password' }),
    ]);
    expect(health?.statusCode).toBe(200);
    expect(session?.statusCode).toBe(200);
    const { token, entitlements } = JSON.parse(session?.body ?? '{}') as SessionResponse;
    expect(entitlements.map((e) => `${e.accountName}/${e.permissionSet}`).sort()).toEqual([
      'data-prod/ReadOnly',
      'payments-prod/Developer',
      'payments-prod/ReadOnly',
    ]);
    const [federate] = await invoke(taskDir, [
      httpEvent('POST', '/federate', { accountId: entitlements[0]?.accountId, permissionSet: 'ReadOnly' }, token),
    ]);
    expect(federate?.statusCode).toBe(200);
    expect((JSON.parse(federate?.body ?? '{}') as { url: string }).url).toMatch(new RegExp(`^${stack.federationUrl}\\?Action=login&`));
  });

  it('api: serves the web page from the zip, with its type, cache and security headers; compressed as binary for API Gateway', async () => {
    const { taskDir, entries } = await unpack('api');
    const html = new TextDecoder().decode(entries[`${PACKAGED_WEB_PAGE}/index.html`]);
    const script = /src="\.\/(assets\/[\w.-]+\.js)"/.exec(html)?.[1] ?? '';
    const [page, asset, compressed, missing] = await invoke(taskDir, [
      httpEvent('GET', '/'),
      httpEvent('GET', `/${script}`),
      httpEvent('GET', `/${script}`, undefined, undefined, { 'accept-encoding': 'br' }),
      httpEvent('GET', '/assets/missing.js'),
    ]);
    expect(page).toMatchObject({ statusCode: 200, body: html });
    expect(page?.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': WEB_PAGE_CSP,
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(asset).toMatchObject({ statusCode: 200, body: new TextDecoder().decode(entries[`${PACKAGED_WEB_PAGE}/${script}`]) });
    expect(asset?.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(compressed).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: expect.objectContaining({ 'content-encoding': 'br' }) });
    expect(Buffer.from(compressed?.body ?? '', 'base64').equals(Buffer.from(entries[`${PACKAGED_WEB_PAGE}/${script}.br`] ?? []))).toBe(true);
    expect(missing?.statusCode).toBe(404);
  });

  it('api: a missing session key secret stops the start with a message that names it and no value', async () => {
    const { taskDir } = await unpack('api');
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf';
    const saved = env.SWITCHYARD_SESSION_KEY_SECRET_ARN;
    env.SWITCHYARD_SESSION_KEY_SECRET_ARN = missing;
    try {
      await expect(invoke(taskDir, [httpEvent('GET', '/health')])).rejects.toThrow(new RegExp(`cannot read Secrets Manager secret ${missing}`));
    } finally {
      env.SWITCHYARD_SESSION_KEY_SECRET_ARN = saved ?? '';
    }
  });

  it('reconciler: a committed push under its prefix runs a reconcile; other keys do not', async () => {
    const { taskDir } = await unpack('reconciler');
    const { results, log } = await invokeLogged(taskDir, [
      s3Notification(stack.bucket, [`${PREFIX}_switchyard/report.json`]),
      s3Notification(stack.bucket, ['_switchyard/current.json']),
      s3Notification(stack.bucket, [`${PREFIX}_switchyard/current.json`]),
    ]);
    const [report, elsewhere, commit] = results;
    expect(report).toMatchObject({ ran: false });
    expect(elsewhere).toMatchObject({ ran: false });
    expect(commit).toMatchObject({ ran: true, status: 'applied' });
    // Only the run wrote metrics, in embedded metric format under the function's name.
    const metrics = log
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(metrics.find((line) => 'ReconcileRuns' in line)).toMatchObject({ service: 'switchyard', Status: 'applied', ReconcileRuns: 1 });
    expect(metrics.map((line) => Object.keys(line).find((key) => key.startsWith('Reconcile') || key.startsWith('Published')))).toEqual([
      'ReconcileRuns',
      'ReconcileAccountsFailed',
      'ReconcileRolesChanged',
      'PublishedPolicyAgeSeconds',
    ]);
  });
});
