import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { runReconcile, planReconcile } from '../../backend/reconcile/run.ts';
import { trustPolicyFor } from '../../shared/iam/trust-policy.ts';
import { BUCKET, DATA, DEV, TRUST, MEMBER_ACCOUNTS, PROD, basePolicyFiles, useWorldResetPerTest, type ReconcileWorld } from './reconcile-fixtures.ts';

let world: ReconcileWorld;

useWorldResetPerTest((started) => (world = started));

async function converge() {
  await world.putFiles(basePolicyFiles());
  const report = await runReconcile(world.deps());
  expect(report.status).toBe('applied');
  world.counter.reset();
  return report;
}

const iamWrites = () =>
  world.counter
    .iamWrites()
    .map((c) => `${c.account} ${c.operation}`)
    .sort();

describe('reconcile against member accounts', () => {
  test('creates every granted role with trust, policies, boundary, tags and session length', async () => {
    await world.putFiles(basePolicyFiles());
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('applied');
    expect(report.accounts.map((a) => [a.accountId, a.created])).toEqual([
      [DEV, ['Switchyard-Admin', 'Switchyard-ReadOnly']],
      [PROD, ['Switchyard-ReadOnly']],
      [DATA, ['Switchyard-ReadOnly']],
    ]);
    const readOnly = (await world.roles(PROD)).get('Switchyard-ReadOnly');
    expect(readOnly).toMatchObject({
      path: '/switchyard/',
      tags: { 'switchyard:managed': 'true', team: 'platform' },
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      inlinePolicies: { 'switchyard-inline': JSON.parse(basePolicyFiles()['policies/deny-secrets.json'] ?? '') },
      permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      description: 'Read everything, change nothing',
      maxSessionDuration: 8 * 3600,
    });
    expect(readOnly?.trustPolicy).toEqual(trustPolicyFor({ ...TRUST, accountId: PROD, permissionSet: 'ReadOnly' }));
    expect((await world.roles(PROD)).has('Switchyard-Admin')).toBe(false);

    // The report lies next to the files and says the same.
    expect(await world.readReport()).toEqual(report);
  });

  test('a second run with no change makes zero write calls: one AssumeRole and the reads per account', async () => {
    await converge();
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('applied');
    expect(report.summary).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(iamWrites()).toEqual([]);
    for (const account of MEMBER_ACCOUNTS) {
      const calls = world.counter.calls
        .filter((c) => c.account === account)
        .map((c) => c.operation)
        .sort();
      expect(calls).toEqual(['AssumeRole', 'GetAccountAuthorizationDetails', 'ListRoles']);
    }
  });

  test('updates in place: a changed inline policy and session length cost one write each, the role keeps its id', async () => {
    await converge();
    const before = (await world.roles(PROD)).get('Switchyard-ReadOnly');
    const files = basePolicyFiles();
    await world.putFiles({
      'policies/deny-secrets.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] }),
      'permission-sets/ReadOnly.yaml': (files['permission-sets/ReadOnly.yaml'] ?? '').replace('PT8H', 'PT12H'),
    });
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('applied');
    for (const account of report.accounts) {
      expect(account.updated).toEqual([{ role: 'Switchyard-ReadOnly', fields: ['inlinePolicy', 'maxSessionDuration'] }]);
    }
    expect(iamWrites()).toEqual(MEMBER_ACCOUNTS.flatMap((a) => [`${a} PutRolePolicy`, `${a} UpdateRole`]).sort());
    const after = (await world.roles(PROD)).get('Switchyard-ReadOnly');
    expect(after?.roleId).toBe(before?.roleId);
    expect(after?.maxSessionDuration).toBe(12 * 3600);
    expect(after?.description).toBe('Read everything, change nothing');
    expect(after?.inlinePolicies['switchyard-inline']).toMatchObject({ Statement: [{ Action: 'kms:Decrypt' }] });
  });

  test('repairs drift: a hand-edited managed role is restored field by field', async () => {
    await converge();
    const iam = await world.iam(DATA);
    const RoleName = 'Switchyard-ReadOnly';
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: 'backdoor',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    await iam.send(
      new TagRoleCommand({
        RoleName,
        Tags: [
          { Key: 'team', Value: 'someone-else' },
          { Key: 'extra', Value: '1' },
        ],
      }),
    );
    await iam.send(new UpdateRoleCommand({ RoleName, Description: 'hand edited', MaxSessionDuration: 3600 }));
    const wanted = (await world.roles(PROD)).get(RoleName);

    const report = await runReconcile(world.deps());

    const data = report.accounts.find((a) => a.accountId === DATA);
    expect(data?.updated).toEqual([
      { role: RoleName, fields: ['trustPolicy', 'managedPolicies', 'inlinePolicy', 'tags', 'description', 'maxSessionDuration'] },
    ]);
    expect(report.accounts.filter((a) => a.accountId !== DATA).every((a) => a.updated.length === 0)).toBe(true);
    const repaired = (await world.roles(DATA)).get(RoleName);
    expect(repaired?.trustPolicy).toEqual(trustPolicyFor({ ...TRUST, accountId: DATA, permissionSet: 'ReadOnly' }));
    expect(repaired).toMatchObject({
      managedPolicyArns: wanted?.managedPolicyArns,
      inlinePolicies: wanted?.inlinePolicies,
      tags: wanted?.tags,
      description: wanted?.description,
      maxSessionDuration: wanted?.maxSessionDuration,
    });
  });

  test('updates the trust policy of roles made before it named the developer provider, in place, and the plan says so first', async () => {
    await converge();
    // The roles as an earlier Switchyard made them: amr had to say "authenticated" only.
    for (const accountId of MEMBER_ACCOUNTS) {
      const iam = await world.iam(accountId);
      for (const [roleName, role] of await world.roles(accountId)) {
        if (!roleName.startsWith('Switchyard-')) continue;
        const statement = (role.trustPolicy as { Statement: { Condition: Record<string, unknown> }[] }).Statement[0];
        delete statement?.Condition['ForAnyValue:StringEquals'];
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(role.trustPolicy) }));
      }
    }
    const plan = await planReconcile(world.deps());
    expect(plan.accounts.map((a) => [a.accountId, a.updated])).toEqual([
      [
        DEV,
        [
          { role: 'Switchyard-Admin', fields: ['trustPolicy'] },
          { role: 'Switchyard-ReadOnly', fields: ['trustPolicy'] },
        ],
      ],
      [PROD, [{ role: 'Switchyard-ReadOnly', fields: ['trustPolicy'] }]],
      [DATA, [{ role: 'Switchyard-ReadOnly', fields: ['trustPolicy'] }]],
    ]);
    world.counter.reset();
    const report = await runReconcile(world.deps());
    expect(report.summary).toMatchObject({ created: 0, deleted: 0, updated: 4 });
    expect([...new Set(world.counter.iamWrites().map((call) => call.operation))]).toEqual(['UpdateAssumeRolePolicy']);
    const trust = (await world.roles(PROD)).get('Switchyard-ReadOnly')?.trustPolicy;
    expect(trust).toEqual(trustPolicyFor({ ...TRUST, accountId: PROD, permissionSet: 'ReadOnly' }));
    expect(JSON.stringify(trust)).toContain(TRUST.developerProvider);
  });

  test('deletes the roles of a removed permission set, and only those', async () => {
    await converge();
    const files = basePolicyFiles();
    await world.removeFiles('permission-sets/Admin.yaml');
    await world.putFiles({ 'assignments.yaml': (files['assignments.yaml'] ?? '').split('  - group: Admins')[0] ?? '' });
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('applied');
    expect(report.accounts.find((a) => a.accountId === DEV)?.deleted).toEqual(['Switchyard-Admin']);
    expect(report.summary).toMatchObject({ deleted: 1, created: 0, updated: 0 });
    const devRoles = await world.roles(DEV);
    expect(devRoles.has('Switchyard-Admin')).toBe(false);
    expect(devRoles.has('Switchyard-ReadOnly')).toBe(true);
  });

  test('keeps a managed role someone put into an instance profile, and says which profile holds it', async () => {
    await converge();
    const iam = await world.iam(DEV);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-servers' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-servers', RoleName: 'Switchyard-Admin' }));
    const files = basePolicyFiles();
    await world.removeFiles('permission-sets/Admin.yaml');
    await world.putFiles({ 'assignments.yaml': (files['assignments.yaml'] ?? '').split('  - group: Admins')[0] ?? '' });
    const report = await runReconcile(world.deps());

    const dev = report.accounts.find((a) => a.accountId === DEV);
    expect(dev?.deleted).toEqual([]);
    expect(dev?.failed).toEqual([{ role: 'Switchyard-Admin', reason: expect.stringMatching(/instance profile web-servers/) }]);
    // Nothing of it was touched: the reconciler may not take roles out of instance profiles (docs/deploy.md).
    expect(world.counter.iamWrites().filter((call) => call.account === DEV)).toEqual([]);
    expect((await world.roles(DEV)).get('Switchyard-Admin')?.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-servers' }));
    expect(profile.InstanceProfile?.Roles?.map((role) => role.RoleName)).toEqual(['Switchyard-Admin']);

    // Once the admin takes it out, the next run deletes it.
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web-servers', RoleName: 'Switchyard-Admin' }));
    const next = await runReconcile(world.deps());
    expect(next.accounts.find((a) => a.accountId === DEV)?.deleted).toEqual(['Switchyard-Admin']);
  });

  test('an account dropped from the inventory loses the roles Switchyard made there, then is forgotten', async () => {
    await converge();
    const files = basePolicyFiles();
    await world.putFiles({
      'accounts.yaml': (files['accounts.yaml'] ?? '')
        .split('\n')
        .filter((line) => !line.includes(DATA))
        .join('\n'),
    });
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('applied');
    expect(report.accounts.find((a) => a.accountId === DATA)).toMatchObject({ retired: true, deleted: ['Switchyard-ReadOnly'] });
    expect((await world.roles(DATA)).has('Switchyard-ReadOnly')).toBe(false);

    world.counter.reset();
    const next = await runReconcile(world.deps());
    expect(next.accounts.map((a) => a.accountId)).toEqual([DEV, PROD]);
    expect(world.counter.count((c) => c.account === DATA)).toBe(0);
  });

  test('never touches unmanaged roles, even look-alikes; a same-named one is a reported conflict', async () => {
    const iam = await world.iam(PROD);
    const foreignTrust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const lookalikes = [
      { RoleName: 'Switchyard-ReadOnly', Path: '/', Tags: [{ Key: 'switchyard:managed', Value: 'true' }] },
      { RoleName: 'Switchyard-Old', Path: '/switchyard/', Tags: [{ Key: 'owner', Value: 'someone' }] },
      { RoleName: 'Switchyard-Elsewhere', Path: '/other/', Tags: [{ Key: 'switchyard:managed', Value: 'true' }] },
    ];
    for (const role of lookalikes) await iam.send(new CreateRoleCommand({ ...role, AssumeRolePolicyDocument: foreignTrust }));
    const before = await world.roles(PROD);

    await world.putFiles(basePolicyFiles());
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('partial');
    const prod = report.accounts.find((a) => a.accountId === PROD);
    expect(prod?.conflicts.map((c) => c.roleName)).toEqual(['Switchyard-ReadOnly']);
    expect(prod?.conflicts[0]?.reason).toMatch(/left untouched/);
    expect(prod).toMatchObject({ created: [], updated: [], deleted: [] });
    expect(await world.roles(PROD)).toEqual(before);
    expect(iamWrites().filter((call) => call.startsWith(PROD))).toEqual([]);
    // The other accounts converge regardless.
    expect(report.accounts.find((a) => a.accountId === DEV)?.created).toEqual(['Switchyard-Admin', 'Switchyard-ReadOnly']);
  });

  test('an invalid file means zero writes and a report naming the file and line', async () => {
    await converge();
    await world.putFiles({ 'accounts.yaml': `accounts:\n  - { id: 012345678901, name: octal }\n` });
    const report = await runReconcile(world.deps());

    expect(report.status).toBe('invalid');
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'accounts.yaml', line: 2 })]),
    );
    expect(world.counter.count((c) => c.service !== 'S3')).toBe(0);
    expect((await world.readReport()).status).toBe('invalid');
    expect((await world.roles(DEV)).has('Switchyard-Admin')).toBe(true);
  });

  test('the deletion guard refuses a mass deletion with zero writes, unless the files allow it', async () => {
    await converge();
    await world.putFiles({ 'assignments.yaml': 'assignments: []\n' });
    const refused = await runReconcile(world.deps());

    expect(refused.status).toBe('refused');
    expect(refused.deletionGuard).toMatchObject({ allowed: false, deletions: 4, managedRoles: 4 });
    expect(iamWrites()).toEqual([]);
    expect((await world.roles(PROD)).has('Switchyard-ReadOnly')).toBe(true);

    await world.putFiles({ 'settings.yaml': 'allowMassDeletion: true\n' });
    const allowed = await runReconcile(world.deps());
    expect(allowed.status).toBe('applied');
    expect(allowed.summary.deleted).toBe(4);
    expect((await world.roles(PROD)).has('Switchyard-ReadOnly')).toBe(false);
  });

  test('plan computes the same changes without writing anything', async () => {
    await converge();
    await world.removeFiles('permission-sets/Admin.yaml');
    await world.putFiles({
      'assignments.yaml': 'assignments:\n  - { group: Auditors, permissionSet: ReadOnly, accounts: { ids: ["' + DEV + '"] } }\n',
    });
    const reportBefore = await world.readReport();
    const plan = await planReconcile(world.deps());

    expect(plan.status).toBe('planned');
    expect(plan.accounts.map((a) => [a.accountId, a.deleted])).toEqual([
      [DEV, ['Switchyard-Admin']],
      [PROD, ['Switchyard-ReadOnly']],
      [DATA, ['Switchyard-ReadOnly']],
    ]);
    expect(world.counter.count((c) => c.service === 'IAM' && !c.operation.startsWith('Get') && !c.operation.startsWith('List'))).toBe(0);
    expect(world.counter.count((c) => c.service === 'S3' && !['ListObjectsV2', 'GetObject'].includes(c.operation))).toBe(0);
    expect(await world.readReport()).toEqual(reportBefore);
    expect(BUCKET).toBeTruthy();
  });
});
