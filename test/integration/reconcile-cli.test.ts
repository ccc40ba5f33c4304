/** `switchyard policy plan|push` against moto: plan writes nothing, push syncs the bucket and reports. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeEach, expect, test } from 'vitest';
import type { CliIo } from '../../backend/cli/command.ts';
import { main } from '../../backend/cli/main.ts';
import { makePolicyPlan } from '../../backend/cli/plan.ts';
import { makePolicyPush } from '../../backend/cli/push.ts';
import { makeHandler } from '../../backend/handlers/reconciler.ts';
import { s3Notification } from '../helpers/lambda-events.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import type { PlanDocument } from '../../shared/plan/plan-document.ts';
import { BUCKET, DATA, DEV, PROD, basePolicyFiles, useWorldResetPerTest, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
let dir: string;

useWorldResetPerTest((started) => (world = started));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-policy-'));
  await writeFolder(basePolicyFiles());
  return () => rm(dir, { recursive: true, force: true });
});

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
  const commands = [makePolicyPlan({ deps }), makePolicyPush({ deps, pollMs: 50 })];
  const code = await main(argv, io, commands);
  return { code, stdout, stderr };
}

/** The files of the committed push, by path ([] when nothing was pushed). */
const committedPaths = async () => ((await world.bucket.readCommit())?.commit.files ?? []).map((file) => file.path).sort();
const bucketKeys = async () => ((await world.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key ?? '').sort();

test('plan shows what would be created, and in which accounts, and writes nothing', async () => {
  const human = await cli('policy', 'plan', dir);
  expect(human.code).toBe(2);
  expect(human.stdout).toContain(`  + Switchyard-Admin (permission set Admin): create in dev (${DEV})\n`);
  expect(human.stdout).toContain(
    `  + Switchyard-ReadOnly (permission set ReadOnly): create in 3 accounts: dev (${DEV}), prod (${PROD}), data (${DATA})\n`,
  );
  expect(human.stdout).toMatch(/Plan: 4 roles to create, 0 to update, 0 to delete in 3 accounts; access: 4 grants added, 0 removed\./);

  const json = await cli('policy', 'plan', dir, '--json');
  const plan = JSON.parse(json.stdout) as PlanDocument;
  expect(plan).toMatchObject({
    format: 'switchyard-plan',
    version: 1,
    outcome: 'changes',
    summary: { create: 4 },
    access: { comparedWith: 'nothing-applied' },
  });
  expect(world.counter.iamWrites()).toEqual([]);
  expect(await bucketKeys()).toEqual([]);
});

test('push --reconcile uploads the folder and applies it; a later push removes deleted files and their roles', async () => {
  const first = await cli('policy', 'push', dir, '--reconcile');
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/pushed generation \S+ to s3:\/\/switchyard-policy-test\/: 5 added, 0 changed, 0 removed/);
  expect(first.stdout).toMatch(/applied: created 4/);
  expect(await committedPaths()).toEqual(Object.keys(basePolicyFiles()).sort());

  await rm(join(dir, 'permission-sets/Admin.yaml'));
  await writeFolder({ 'assignments.yaml': 'assignments:\n  - { group: Auditors, permissionSet: ReadOnly, accounts: "*" }\n' });
  const plan = await cli('policy', 'plan', dir);
  expect(plan.stdout).toContain(`  - Switchyard-Admin (permission set Admin): delete in dev (${DEV})\n`);

  const second = await cli('policy', 'push', dir, '--reconcile');
  expect(second.code).toBe(0);
  expect(second.stderr).toMatch(/: 0 added, 1 changed, 1 removed/);
  expect(await committedPaths()).toEqual(
    Object.keys(basePolicyFiles())
      .filter((path) => path !== 'permission-sets/Admin.yaml')
      .sort(),
  );
  expect(second.stdout).toContain('- Switchyard-Admin (deleted)');
  expect((await world.roles(DEV)).has('Switchyard-Admin')).toBe(false);
  expect((await world.roles(DATA)).has('Switchyard-ReadOnly')).toBe(true);
});

test('push waits for the report of the run its commit triggered (the bucket Lambda)', async () => {
  const handler = makeHandler({ bucketName: BUCKET, bucket: world.bucket, reconcile: () => runReconcile(world.deps()) });
  const pushing = cli('policy', 'push', dir, '--wait', '60');
  // Stand-in for S3's event delivery: once the push is committed, the Lambda entry runs.
  while ((await committedPaths()).length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
  await handler(s3Notification(BUCKET, ['_switchyard/current.json']));
  const pushed = await pushing;
  expect(pushed.code).toBe(0);
  expect(pushed.stdout).toMatch(/applied: created 4/);
});

test('an invalid folder is not uploaded', async () => {
  await writeFolder({ 'accounts.yaml': 'accounts:\n  - { id: 12345, name: short }\n' });
  const pushed = await cli('policy', 'push', dir, '--reconcile');
  expect(pushed.code).toBe(1);
  expect(pushed.stdout).toMatch(/^accounts\.yaml:2:\d+: error: /m);
  expect(pushed.stderr).toContain('nothing uploaded');
  const json = await cli('policy', 'push', dir, '--reconcile', '--json');
  expect(json.code).toBe(1);
  const answer = JSON.parse(json.stdout) as { pushed: boolean; problems: { file: string; severity: string }[] };
  expect(answer.pushed).toBe(false);
  expect(answer.problems).toContainEqual(expect.objectContaining({ file: 'accounts.yaml', line: 2, severity: 'error' }));
  expect(await bucketKeys()).toEqual([]);
  expect(world.counter.iamWrites()).toEqual([]);
});

test('a folder the deletion guard would refuse is not pushed: the bucket keeps the applied files', async () => {
  expect((await cli('policy', 'push', dir, '--reconcile')).code).toBe(0);
  const applied = (await world.bucket.readCommit())?.commit.generation;
  // Dropping every assignment would delete all 4 roles.
  await writeFolder({ 'assignments.yaml': 'assignments: []\n' });
  await rm(join(dir, 'permission-sets/Admin.yaml'));
  await rm(join(dir, 'permission-sets/ReadOnly.yaml'));
  await rm(join(dir, 'policies/deny-secrets.json'));
  const refused = await cli('policy', 'push', dir, '--reconcile');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/the deletion guard would refuse this policy: refusing to delete 4 of 4 managed roles .*: nothing uploaded/);
  const json = await cli('policy', 'push', dir, '--reconcile', '--json');
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({
    pushed: false,
    reason: expect.stringMatching(/^the deletion guard would refuse this policy: refusing to delete 4 of 4/) as string,
    problems: [],
    deletionGuard: { allowed: false, deletions: 4 },
  });
  expect((await world.bucket.readCommit())?.commit.generation).toBe(applied);
  expect((await world.roles(DEV)).has('Switchyard-Admin')).toBe(true);
});
