/**
 * `switchyard policy plan` of a change to a permission set used in 200 accounts (moto): the change is
 * shown once, with the number of accounts and the first names; --verbose lists each account, and the
 * change is still shown once. This moto loads no AWS managed policies (each account would load a
 * thousand of them), so the permission set has an inline policy only.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CliIo } from '../../backend/cli/command.ts';
import { main } from '../../backend/cli/main.ts';
import { makePolicyPlan } from '../../backend/cli/plan.ts';
import { makePolicyPush } from '../../backend/cli/push.ts';
import type { PlanDocument } from '../../shared/plan/plan-document.ts';
import { startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
let dir: string;

beforeAll(async () => {
  world = await startWorld({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
  dir = await mkdtemp(join(tmpdir(), 'switchyard-plan-many-'));
});
afterAll(async () => {
  await world?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
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
  const deps = () => world.deps({ lockWaitMs: 30_000, concurrency: 16 });
  const code = await main(argv, io, [makePolicyPlan({ deps }), makePolicyPush({ deps, pollMs: 50 })]);
  return { code, stdout, stderr };
}

const readOnly = (duration: string) => `sessionDuration: ${duration}
inlinePolicy: ../policies/read.json
`;

test('the same change in 200 accounts is shown once, with the count and the first names; --verbose lists each', async () => {
  const ids = Array.from({ length: 200 }, (_, index) => String(100_000_000_000 + index * 7919));
  await writeFolder({
    'accounts.yaml': `accounts:\n${ids.map((id, index) => `  - { id: "${id}", name: team-${index}, regions: [eu-west-1] }`).join('\n')}\n`,
    'permission-sets/ReadOnly.yaml': readOnly('PT1H'),
    'policies/read.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }),
    'assignments.yaml': 'assignments:\n  - { group: Auditors, permissionSet: ReadOnly, accounts: "*" }\n',
  });
  const pushed = await cli('policy', 'push', dir, '--reconcile');
  expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);

  await writeFolder({ 'permission-sets/ReadOnly.yaml': readOnly('PT4H') });
  const text = await cli('policy', 'plan', dir);
  expect(text.code).toBe(2);
  expect(text.stdout.match(/Switchyard-ReadOnly \(permission set ReadOnly\): update in /g)).toHaveLength(1);
  expect(text.stdout).toContain(`update in 200 accounts: team-0 (${ids[0]}), team-1 (${ids[1]}),`);
  expect(text.stdout).toContain(`team-9 (${ids[9]}), and 190 more (--verbose lists each)\n      ~ session length: 1 h → 4 h\n`);
  expect(text.stdout.split('\n').length).toBeLessThan(15);

  const json = JSON.parse((await cli('policy', 'plan', dir, '--json')).stdout) as PlanDocument;
  expect(json.roles).toHaveLength(1);
  expect(json.roles[0]?.accounts.map((account) => account.id)).toEqual(ids);
  expect(json.summary).toMatchObject({ accounts: 200, update: 200 });

  const verbose = await cli('policy', 'plan', dir, '--verbose');
  for (const [index, id] of ids.entries()) expect(verbose.stdout).toContain(`        team-${index} (${id})\n`);
  expect(verbose.stdout.match(/session length: 1 h → 4 h/g)).toHaveLength(1);

  const markdown = await cli('policy', 'plan', dir, '--format', 'markdown');
  expect(markdown.stdout.match(/<details>/g)).toHaveLength(1);
  expect(markdown.stdout).toContain('update in 200 accounts');
}, 600_000);
