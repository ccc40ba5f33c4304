/**
 * `switchyard policy plan|push` in an aws-cn deployment (moto, region cn-north-1): ARNs and regions of
 * another partition are refused before anything is uploaded, at their file, line and field; a refused
 * push answers in JSON when asked to.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CliIo } from '../../backend/cli/command.ts';
import { main } from '../../backend/cli/main.ts';
import { makePolicyPlan } from '../../backend/cli/plan.ts';
import { makePolicyPush } from '../../backend/cli/push.ts';
import { BUCKET, DATA, DEV, PROD, startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
let dir: string;

beforeAll(async () => {
  world = await startWorld({ region: 'cn-north-1' });
});
afterAll(async () => {
  await world?.stop();
});
beforeEach(async () => {
  await world.reset();
  dir = await mkdtemp(join(tmpdir(), 'switchyard-policy-cn-'));
  return () => rm(dir, { recursive: true, force: true });
});

/** A small policy for aws-cn; `partition` and `regions` say what its ARNs and accounts name. */
function policyFiles(options: { arnPartition?: string; boundaryPartition?: string; regions?: string } = {}): Record<string, string> {
  const arn = (partition: string, name: string) => `arn:${partition}:iam::aws:policy/${name}`;
  const regions = options.regions ?? '[cn-north-1, cn-northwest-1]';
  return {
    'accounts.yaml': `accounts:
  - { id: "${DEV}", name: dev, regions: ${regions} }
  - { id: "${PROD}", name: prod, regions: [cn-north-1] }
  - { id: "${DATA}", name: data, regions: [cn-northwest-1] }
`,
    'permission-sets/ReadOnly.yaml': `managedPolicies: [${arn(options.arnPartition ?? 'aws-cn', 'ReadOnlyAccess')}]
permissionsBoundary: ${arn(options.boundaryPartition ?? 'aws-cn', 'PowerUserAccess')}
`,
    'assignments.yaml': 'assignments:\n  - { group: Auditors, permissionSet: ReadOnly, accounts: "*" }\n',
  };
}

async function writeFolder(files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} };
  const deps = () => world.deps({ lockWaitMs: 30_000 });
  const code = await main(argv, io, [makePolicyPlan({ deps }), makePolicyPush({ deps, pollMs: 50 })]);
  return { code, stdout, stderr };
}

const bucketKeys = async () => ((await world.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key ?? '');

test('the reconciler of a cn-north-1 deployment works in aws-cn', () => {
  expect(world.deps().partition).toBe('aws-cn');
});

test('a folder with aws-cn ARNs and regions is pushed and applied', async () => {
  await writeFolder(policyFiles());
  const pushed = await cli('policy', 'push', dir, '--reconcile');
  expect(pushed.stdout).toMatch(/applied: created 3/);
  expect(pushed.code).toBe(0);
});

test('managed policy and boundary ARNs of the aws partition are refused at their line; nothing is uploaded', async () => {
  await writeFolder(policyFiles({ arnPartition: 'aws', boundaryPartition: 'aws' }));
  const pushed = await cli('policy', 'push', dir, '--reconcile');
  expect(pushed.stdout.split('\n')).toEqual([
    'permission-sets/ReadOnly.yaml:1:19: error: managedPolicies[0]: arn:aws:iam::aws:policy/ReadOnlyAccess is an ARN of the aws partition, but this Switchyard deployment is in aws-cn (the partition of its region); write arn:aws-cn:iam::aws:policy/ReadOnlyAccess',
    'permission-sets/ReadOnly.yaml:2:22: error: permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess is an ARN of the aws partition, but this Switchyard deployment is in aws-cn (the partition of its region); write arn:aws-cn:iam::aws:policy/PowerUserAccess',
    '',
  ]);
  expect(pushed.stderr).toContain('nothing uploaded');
  expect(pushed.code).toBe(1);
  expect(await bucketKeys()).toEqual([]);
  expect(world.counter.iamWrites()).toEqual([]);

  const planned = await cli('policy', 'plan', dir);
  expect(planned.stdout).toContain('managedPolicies[0]: arn:aws:iam::aws:policy/ReadOnlyAccess is an ARN of the aws partition');
  expect(planned.code).toBe(1);
});

test('an account whose regions belong to another partition is refused, naming each region', async () => {
  await writeFolder(policyFiles({ regions: '[eu-west-1, cn-north-1, us-gov-west-1]' }));
  const pushed = await cli('policy', 'push', dir, '--reconcile');
  expect(pushed.stdout.split('\n')).toEqual([
    'accounts.yaml:2:48: error: accounts[0].regions[0]: eu-west-1 belongs to aws; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
    'accounts.yaml:2:71: error: accounts[0].regions[2]: us-gov-west-1 belongs to aws-us-gov; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
    '',
  ]);
  expect(pushed.code).toBe(1);
  expect(await bucketKeys()).toEqual([]);
});

test('push --json answers a refused push in JSON, with the same problem list as validate --json; the exit code stays 1', async () => {
  await writeFolder(policyFiles({ arnPartition: 'aws' }));
  const pushed = await cli('policy', 'push', dir, '--json', '--reconcile');
  expect(pushed.code).toBe(1);
  const answer = JSON.parse(pushed.stdout) as { pushed: boolean; reason: string; problems: unknown[] };
  expect(answer).toMatchObject({ pushed: false, reason: 'policy is invalid (1 error)' });
  expect(answer.problems).toEqual([
    {
      file: 'permission-sets/ReadOnly.yaml',
      line: 1,
      column: 19,
      severity: 'error',
      message: expect.stringMatching(/^managedPolicies\[0\]: arn:aws:iam::aws:policy\/ReadOnlyAccess is an ARN of the aws partition/),
    },
  ]);
  expect(await bucketKeys()).toEqual([]);
});
