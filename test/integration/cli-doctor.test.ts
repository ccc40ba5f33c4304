/**
 * `switchyard doctor` against moto and the local federation stand-in, through the CLI: every step either
 * passes what it can prove here or says "not provable here" (moto's tokens are random strings, its STS
 * ignores trust policies, the federation endpoint is a stand-in); a step AWS refuses fails with AWS's error;
 * no token is ever printed. Also the real `bin/switchyard.js doctor --help`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleBrokerSteps } from '../../backend/assemble/api.ts';
import type { CliIo } from '../../backend/cli/command.ts';
import { makeDoctor } from '../../backend/cli/doctor.ts';
import { main } from '../../backend/cli/main.ts';
import { doctorConfig } from '../../backend/config/config.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { AwsCallRecorder } from '../helpers/aws-call-recorder.ts';
import { jsonError, queryError, startFaultProxy, type FaultProxy } from '../helpers/aws-fault-proxy.ts';

let stack: LocalStack;
let proxy: FaultProxy;
const recorder = new AwsCallRecorder();
const BIN = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  proxy = await startFaultProxy(stack.moto.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

async function doctor(args: string[]) {
  const io: CliIo & { out: string; err: string } = {
    out: '',
    err: '',
    env: { ...stack.env, SWITCHYARD_AWS_ENDPOINT: proxy.endpoint, SWITCHYARD_AWS_MAX_ATTEMPTS: '2' },
    stdout: (text) => void (io.out += text),
    stderr: (text) => void (io.err += text),
  };
  const command = makeDoctor({
    steps: (cli) => assembleBrokerSteps(doctorConfig(cli.env), { credentials: stack.moto.settings.credentials, awsObserver: recorder }),
  });
  const code = await main(['doctor', ...args], io, [command]);
  return { code, out: io.out, err: io.err };
}

/** Every token and credential the run obtained: none may be printed. */
function secrets(): string[] {
  return recorder.calls.flatMap((call) => {
    const output = call.output as { Token?: string; Credentials?: { SecretAccessKey?: string; SessionToken?: string } } | undefined;
    return [output?.Token, output?.Credentials?.SecretAccessKey, output?.Credentials?.SessionToken].filter(
      (value): value is string => typeof value === 'string',
    );
  });
}

describe('switchyard doctor against moto', () => {
  it('reports what moto cannot prove as not provable here, never as pass, and prints no token', async () => {
    recorder.calls.length = 0;
    const canary = `${stack.accountIds.get('sandbox') ?? ''}:Developer`;
    const { code, out } = await doctor(['--canary', canary, '--duration', '3600']);
    expect(code).toBe(0);
    const lines = out.split('\n').filter((line) => line.startsWith('  ['));
    expect(lines).toEqual([
      `  [pass] mint a token for ${canary}`,
      `  [not provable here] the token carries the principal tag switchyard:target=${canary}`,
      `  [not provable here] assume arn:aws:iam::${canary.split(':')[0]}:role/switchyard/Switchyard-Developer for 3600 s`,
      `  [not provable here] arn:aws:iam::${canary.split(':')[0]}:role/switchyard/Switchyard-Developer refuses a token minted for ${canary.split(':')[0]}:SwitchyardDoctorDecoy`,
      '  [not provable here] fetch a sign-in token with SessionDuration 43200 (not printed)',
    ]);
    expect(out).toMatch(/1 passed, 4 not provable here, 0 failed, 0 skipped/);
    expect(secrets().length).toBeGreaterThanOrEqual(3);
    for (const secret of secrets()) expect(out.includes(secret)).toBe(false);
  });

  it('fails a step AWS refuses, with its error code, and skips what depends on it', async () => {
    proxy.add(queryError('AssumeRoleWithWebIdentity', 'AccessDenied'));
    const canary = `${stack.accountIds.get('sandbox') ?? ''}:Developer`;
    const { code, out } = await doctor(['--canary', canary, '--json']);
    proxy.clear();
    expect(code).toBe(1);
    const report = JSON.parse(out) as { steps: { step: string; result: string; awsError?: string }[] };
    expect(report.steps.map((step) => [step.result, step.awsError])).toEqual([
      ['pass', undefined],
      ['not provable here', undefined],
      ['fail', 'AccessDenied'],
      ['pass', 'AccessDenied'],
      ['skipped', undefined],
    ]);
  });

  it('fails at once when the identity pool refuses, naming the AWS error', async () => {
    proxy.add(jsonError('GetOpenIdTokenForDeveloperIdentity', 'ResourceNotFoundException'));
    const { code, out } = await doctor(['--canary', `${stack.accountIds.get('sandbox') ?? ''}:Developer`]);
    proxy.clear();
    expect(code).toBe(1);
    expect(out).toMatch(
      /\[fail\] mint a token for .*\n {6}the identity pool refused a token \(ResourceNotFoundException\) \(AWS error: ResourceNotFoundException\)/,
    );
    expect(out).toMatch(/0 passed, 0 not provable here, 1 failed, 4 skipped/);
  });

  it('refuses a wrong command line or missing configuration with a usage error', async () => {
    expect((await doctor([])).err).toMatch(/--canary ACCOUNT:PERMISSION_SET is required/);
    expect((await doctor(['--canary', 'sandbox'])).code).toBe(2);
    expect((await doctor(['--canary', '111111111111:X', '--duration', '60'])).err).toMatch(
      /--duration must be a whole number of seconds from 900 to 43200/,
    );
    const io = { out: '', err: '', env: { AWS_REGION: 'us-east-1' }, stdout: () => undefined, stderr: (text: string) => void (io.err += text) };
    expect(await main(['doctor', '--canary', '111111111111:X'], io)).toBe(2);
    expect(io.err).toMatch(/SWITCHYARD_IDENTITY_POOL_ID is not set/);
  });

  it('--help says what it proves and what it cannot', async () => {
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'doctor', '--help'], { env: { ...process.env } });
    expect(stderr).toMatch(/What it proves/);
    expect(stderr).toMatch(/the canary role refuses a token minted for another target/);
    expect(stderr).toMatch(/What it cannot prove: anything against an emulator or a stand-in/);
    expect(stderr).toMatch(/not provable here/);
  });
});
