/**
 * `switchyard policy plan` against moto, one kind of change per test: a base policy is pushed and
 * applied (push --reconcile), a copy of its folder is edited as an admin would, and the plan of the
 * copy must show every changed attribute's old and new value, who gains and who loses access first,
 * each change once for all its accounts, exit 0 / 2 / 1 as terraform plan -detailed-exitcode does,
 * and JSON that the published schema (schema/plan.schema.json) accepts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, expect, test } from 'vitest';
import { z } from 'zod';
import { hashPassword } from '../../backend/auth/password-hash.ts';
import type { CliIo } from '../../backend/cli/command.ts';
import { main } from '../../backend/cli/main.ts';
import { makePolicyPlan } from '../../backend/cli/plan.ts';
import { makePolicyPush } from '../../backend/cli/push.ts';
import { REPOSITORY_ROOT } from '../../backend/deploy/bundle.ts';
import { CI_COMMANDS } from '../../backend/deploy/sdk-grants.ts';
import type { PlanDocument } from '../../shared/plan/plan-document.ts';
import { DATA, DEV, PROD, basePolicyFiles, useWorldResetPerTest, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;
let dir: string;

useWorldResetPerTest((started) => (world = started));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-plan-'));
  return () => rm(dir, { recursive: true, force: true });
});

/** The base files plus a Developer permission set for the production accounts, with an inline policy of its own. */
export function planBaseFiles(): Record<string, string> {
  const base = basePolicyFiles();
  return {
    ...base,
    'permission-sets/Developer.yaml': `description: Build and read artifacts
sessionDuration: PT4H
managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
inlinePolicy: ../policies/developer.json
`,
    'policies/developer.json': developerPolicy(['s3:GetObject'], 'arn:aws:s3:::switchyard-artifacts/builds/*'),
    'assignments.yaml': `${base['assignments.yaml']}  - group: Developers
    permissionSet: Developer
    accounts: { tags: { env: prod } }
`,
  };
}

function developerPolicy(actions: string[], resource: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadArtifacts', Effect: 'Allow', Action: actions, Resource: resource },
        { Sid: 'DenyIamChanges', Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ],
    },
    null,
    2,
  );
}

async function writeFolder(files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env };
  const deps = () => world.deps({ lockWaitMs: 30_000 });
  const code = await main(argv, io, [makePolicyPlan({ deps }), makePolicyPush({ deps, pollMs: 50 })]);
  return { code, stdout, stderr };
}

/** Pushes and applies these files (the state every plan is measured against), then leaves them in the folder to edit. */
async function applied(files: Record<string, string>) {
  await writeFolder(files);
  const pushed = await cli(['policy', 'push', dir, '--reconcile']);
  expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);
}

const planSchema = z.fromJSONSchema(JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'schema/plan.schema.json'), 'utf8')) as Record<string, unknown>);

/** The plan as text and as JSON; the JSON must pass the published schema, and both must exit alike. */
async function plan(options: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const text = await cli(['policy', 'plan', dir, ...options], env);
  const json = await cli(['policy', 'plan', dir, '--format', 'json', ...options], env);
  const document = JSON.parse(json.stdout) as PlanDocument;
  expect(planSchema.safeParse(document).error).toBeUndefined();
  expect(json.code).toBe(text.code);
  return { code: text.code, text: text.stdout, stderr: text.stderr, plan: document };
}

const ALL_THREE = `3 accounts: dev (${DEV}), prod (${PROD}), data (${DATA})`;

test('no change: exit 0, and the plan says so', async () => {
  await applied(planBaseFiles());
  const { code, text, plan: document } = await plan();
  expect(code).toBe(0);
  expect(document.outcome).toBe('no-changes');
  expect(text).toContain('Who gains and who loses access (compared with the policy last applied):\n  nobody');
  expect(text).toMatch(/No changes: 0 roles to create, 0 to update, 0 to delete in 3 accounts; access: 0 grants added, 0 removed\.$/m);
});

test('a session length: old and new in hours, once for every account of the permission set; exit 2', async () => {
  await applied(planBaseFiles());
  await writeFolder({ 'permission-sets/ReadOnly.yaml': planBaseFiles()['permission-sets/ReadOnly.yaml']!.replace('PT8H', 'PT4H') });
  const { code, text, plan: document } = await plan();
  expect(code).toBe(2);
  expect(text).toContain(`  ~ Switchyard-ReadOnly (permission set ReadOnly): update in ${ALL_THREE}\n      ~ session length: 8 h → 4 h\n`);
  expect(text).toContain(`  ~ Auditors keeps, with changed permissions, ReadOnly in ${ALL_THREE}`);
  expect(document.roles).toEqual([
    {
      action: 'update',
      permissionSet: 'ReadOnly',
      role: 'Switchyard-ReadOnly',
      accounts: [
        { id: DEV, name: 'dev' },
        { id: PROD, name: 'prod' },
        { id: DATA, name: 'data' },
      ],
      changes: [{ field: 'sessionDuration', from: 28_800, to: 14_400 }],
    },
  ]);
  expect(document.summary).toMatchObject({ update: 3, create: 0, delete: 0, accessAdded: 0, accessRemoved: 0 });
});

test('a managed policy added and one removed', async () => {
  await applied(planBaseFiles());
  await writeFolder({
    'permission-sets/Developer.yaml': planBaseFiles()['permission-sets/Developer.yaml']!.replace(
      '[arn:aws:iam::aws:policy/ReadOnlyAccess]',
      '[arn:aws:iam::aws:policy/job-function/ViewOnlyAccess]',
    ),
  });
  const { code, text, plan: document } = await plan();
  expect(code).toBe(2);
  expect(text).toContain(
    `  ~ Switchyard-Developer (permission set Developer): update in 2 accounts: prod (${PROD}), data (${DATA})\n` +
      '      ~ managed policies:\n' +
      '          + arn:aws:iam::aws:policy/job-function/ViewOnlyAccess\n' +
      '          - arn:aws:iam::aws:policy/ReadOnlyAccess\n',
  );
  expect(document.roles[0]?.changes).toEqual([
    { field: 'managedPolicies', added: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'], removed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  ]);
});

test('an inline policy statement widened: the statement, with its changed lines marked; the markdown is the example in docs/', async () => {
  await applied(planBaseFiles());
  await writeFolder({
    'policies/developer.json': developerPolicy(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::switchyard-artifacts/*'),
  });
  const { code, text, plan: document } = await plan();
  expect(code).toBe(2);
  const statement = (lines: [string, string][]) => lines.map(([op, line]) => `            ${op} ${line}`);
  expect(text).toContain(
    [
      `  ~ Switchyard-Developer (permission set Developer): update in 2 accounts: prod (${PROD}), data (${DATA})`,
      '      ~ inline policy switchyard-inline:',
      '          ~ statement "ReadArtifacts"',
      ...statement([
        [' ', '{'],
        [' ', '  "Sid": "ReadArtifacts",'],
        [' ', '  "Effect": "Allow",'],
        [' ', '  "Action": ['],
        ['+', '    "s3:DeleteObject",'],
        [' ', '    "s3:GetObject",'],
        ['+', '    "s3:PutObject"'],
        [' ', '  ],'],
        [' ', '  "Resource": ['],
        ['-', '    "arn:aws:s3:::switchyard-artifacts/builds/*"'],
        ['+', '    "arn:aws:s3:::switchyard-artifacts/*"'],
        [' ', '  ]'],
        [' ', '}'],
      ]),
      '            statement "DenyIamChanges" (unchanged)',
    ].join('\n'),
  );
  // Who is affected comes before the roles.
  expect(text.indexOf('Developers keeps, with changed permissions, Developer in 2 accounts')).toBeLessThan(text.indexOf('Roles:'));
  expect(document.roles[0]?.changes[0]).toMatchObject({
    field: 'inlinePolicy',
    name: 'switchyard-inline',
    statements: [
      { label: 'ReadArtifacts', change: 'changed' },
      { label: 'DenyIamChanges', change: 'unchanged', lines: [] },
    ],
  });

  const markdown = await cli(['policy', 'plan', dir, '--format', 'markdown', '--details-url', 'https://github.com/example/policy/actions/runs/1']);
  expect(markdown.code).toBe(2);
  await expect(markdown.stdout).toMatchFileSnapshot(join(REPOSITORY_ROOT, 'docs/examples/plan-widened-inline-policy.md'));
});

test('a permissions boundary changed in one permission set and removed from another', async () => {
  await applied({
    ...planBaseFiles(),
    'permission-sets/Admin.yaml': `${basePolicyFiles()['permission-sets/Admin.yaml']}permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess\n`,
  });
  await writeFolder({
    'permission-sets/ReadOnly.yaml': planBaseFiles()['permission-sets/ReadOnly.yaml']!.replace('policy/PowerUserAccess', 'policy/ReadOnlyAccess'),
    'permission-sets/Admin.yaml': basePolicyFiles()['permission-sets/Admin.yaml']!,
  });
  const { code, text } = await plan();
  expect(code).toBe(2);
  expect(text).toContain(
    `  ~ Switchyard-ReadOnly (permission set ReadOnly): update in ${ALL_THREE}\n` +
      '      ~ permissions boundary: arn:aws:iam::aws:policy/PowerUserAccess → arn:aws:iam::aws:policy/ReadOnlyAccess\n',
  );
  expect(text).toContain(
    `  ~ Switchyard-Admin (permission set Admin): update in dev (${DEV})\n      ~ permissions boundary: arn:aws:iam::aws:policy/PowerUserAccess → (none)\n`,
  );
});

test('tags added, changed and removed, and the description', async () => {
  await applied({
    ...planBaseFiles(),
    'permission-sets/ReadOnly.yaml': planBaseFiles()['permission-sets/ReadOnly.yaml']!.replace(
      'tags: { team: platform }',
      'tags: { team: platform, owner: alice }',
    ),
  });
  const readOnly = planBaseFiles()['permission-sets/ReadOnly.yaml']!;
  await writeFolder({
    'permission-sets/ReadOnly.yaml': readOnly
      .replace('tags: { team: platform }', 'tags: { team: security, cost-centre: "42" }')
      .replace('Read everything, change nothing', 'Read everything'),
  });
  const { code, text, plan: document } = await plan();
  expect(code).toBe(2);
  expect(text).toContain(
    `  ~ Switchyard-ReadOnly (permission set ReadOnly): update in ${ALL_THREE}\n` +
      '      ~ description: "Read everything, change nothing" → "Read everything"\n' +
      '      ~ tags:\n' +
      '          + cost-centre=42\n' +
      '          ~ team: platform → security\n' +
      '          - owner=alice\n',
  );
  expect(document.roles[0]?.changes).toContainEqual({
    field: 'tags',
    added: { 'cost-centre': '42' },
    removed: { owner: 'alice' },
    changed: [{ key: 'team', from: 'platform', to: 'security' }],
  });
});

test('an assignment that adds a group to a production account: who gains access first, and with --people the people', async () => {
  await applied(planBaseFiles());
  await writeFolder({
    'assignments.yaml': `${planBaseFiles()['assignments.yaml']}  - group: Contractors
    permissionSet: Admin
    accounts: { names: [prod] }
`,
  });
  const directoryFile = join(dir, '..', `${dir.split('/').pop()}-directory.json`);
  const user = async (username: string, displayName: string, groups: string[]) => ({
    id: randomUUID(),
    username,
    displayName,
    groups,
    passwordHash: await hashPassword('x'),
  });
  await writeFile(
    directoryFile,
    JSON.stringify({
      domain: 'corp.example.com',
      users: [
        await user('carol', 'Carol Contractor', ['Contractors']),
        await user('alice', 'Alice Admin', ['Admins', 'Contractors']),
        await user('bob', 'Bob Auditor', ['Auditors']),
      ],
    }),
  );
  try {
    const { code, text, plan: document } = await plan(['--people'], { SWITCHYARD_DIRECTORY_FILE: directoryFile });
    expect(code, text).toBe(2);
    expect(
      text.startsWith(
        'Who gains and who loses access (compared with the policy last applied):\n' + `  + Contractors gains Admin in prod (${PROD})\n`,
      ),
    ).toBe(true);
    expect(document.access.added).toEqual([{ group: 'Contractors', permissionSet: 'Admin', accounts: [{ id: PROD, name: 'prod' }] }]);
    expect(text).toContain(
      `  + Switchyard-Admin (permission set Admin): create in prod (${PROD})\n      + session length: 1 h\n      + managed policies:\n          + arn:aws:iam::aws:policy/AdministratorAccess\n`,
    );
    expect(document.access.people).toEqual({
      gains: [
        {
          id: 'alice@corp.example.com',
          displayName: 'Alice Admin',
          permissionSet: 'Admin',
          accounts: [{ id: PROD, name: 'prod' }],
          groups: ['Contractors'],
        },
        {
          id: 'carol@corp.example.com',
          displayName: 'Carol Contractor',
          permissionSet: 'Admin',
          accounts: [{ id: PROD, name: 'prod' }],
          groups: ['Contractors'],
        },
      ],
      losses: [],
    });
    expect(text).toContain(`    + carol@corp.example.com (Carol Contractor) gains Admin in prod (${PROD}), through Contractors`);
  } finally {
    await rm(directoryFile, { force: true });
  }
}, 90_000);

test('a permission set deleted: what is lost, the attached policies included, and who loses access', async () => {
  await applied(planBaseFiles());
  await rm(join(dir, 'permission-sets/Developer.yaml'));
  await rm(join(dir, 'policies/developer.json'));
  await writeFolder({ 'assignments.yaml': basePolicyFiles()['assignments.yaml']! });
  const { code, text, plan: document } = await plan();
  expect(code).toBe(2);
  expect(text).toContain(`  - Developers loses Developer in 2 accounts: prod (${PROD}), data (${DATA})`);
  expect(text).toContain(
    [
      `  - Switchyard-Developer (permission set Developer): delete in 2 accounts: prod (${PROD}), data (${DATA})`,
      '      loses:',
      '        - session length: 4 h',
      '        - managed policies:',
      '            - arn:aws:iam::aws:policy/ReadOnlyAccess',
      '        - inline policy switchyard-inline:',
      '            - statement "ReadArtifacts"',
    ].join('\n'),
  );
  expect(text).toContain('        - description: "Build and read artifacts"');
  expect(document.summary).toMatchObject({ delete: 2, accessRemoved: 2 });
});

test('exit 1: an invalid folder, a deletion the guard would refuse, a wrong option', async () => {
  await applied(planBaseFiles());
  await writeFolder({ 'accounts.yaml': 'accounts:\n  - { id: 12345, name: short }\n' });
  const invalid = await plan();
  expect(invalid.code).toBe(1);
  expect(invalid.plan).toMatchObject({ outcome: 'error', errors: [expect.stringMatching(/^the policy is invalid: \d+ errors? in the files$/)] });
  expect(invalid.text).toMatch(/^accounts\.yaml:2:\d+: error: /m);

  await writeFolder({ ...planBaseFiles(), 'assignments.yaml': 'assignments: []\n' });
  const refused = await plan();
  expect(refused.code).toBe(1);
  expect(refused.text).toMatch(/^error: a push would be refused: refusing to delete 6 of 6 managed roles/m);

  const wrong = await cli(['policy', 'plan', dir, '--format', 'yaml']);
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain('--format must be text, markdown or json, not "yaml"');
  expect((await cli(['policy', 'plan', join(dir, 'missing')])).code).toBe(1);
});

test("plan, and push without --reconcile, send only what the CI recipe's roles are granted (backend/deploy/sdk-grants.ts)", async () => {
  await applied(planBaseFiles());
  await writeFolder({ 'permission-sets/ReadOnly.yaml': planBaseFiles()['permission-sets/ReadOnly.yaml']!.replace('PT8H', 'PT4H') });
  const sent = () => [...new Set(world.counter.calls.map((call) => `${call.service.toLowerCase()}:${call.operation}`))].sort();
  const granted = (name: keyof typeof CI_COMMANDS) =>
    [...CI_COMMANDS[name].sends.function, ...CI_COMMANDS[name].sends['member-access-role']] as string[];

  world.counter.reset();
  expect((await cli(['policy', 'plan', dir])).code).toBe(2);
  expect(sent()).toEqual(['iam:GetAccountAuthorizationDetails', 'iam:ListRoles', 's3:GetObject', 'sts:AssumeRole']);
  expect(sent().filter((command) => !granted('policy-plan').includes(command))).toEqual([]);

  world.counter.reset();
  // No reconcile Lambda here: the push commits and waits for a report that does not come.
  const pushed = await cli(['policy', 'push', dir, '--wait', '0']);
  expect(pushed.stderr).toContain('pushed generation');
  expect(sent()).toEqual(['s3:GetObject', 's3:PutObject']);
  expect(sent().filter((command) => !granted('policy-push').includes(command))).toEqual([]);
});
