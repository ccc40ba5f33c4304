/**
 * One broken account among healthy ones, for real: moto enforces IAM here (moto-api/reset-auth), the
 * reconciler signs in as an admin user of the management account, and one member's access role has
 * no permissions (AccessDenied from moto), another member has no access role at all. moto lets the
 * reconciler assume a role that does not exist and then answers IAM with an HTML error page; AWS refuses
 * the AssumeRole (a loopback proxy gives AWS's answer). Either way the report says which account, which
 * role, and what to deploy there.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createIamClient } from '../../backend/aws/clients.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { queryError, startFaultProxy } from '../helpers/aws-fault-proxy.ts';
import { DATA, DEV, PROD, basePolicyFiles, startWorld, type ReconcileWorld } from './reconcile-fixtures.ts';

const NO_ROLE = '444444444444';
const ACCESS_ROLE = 'SwitchyardReconcilerAccess';
const allowAll = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

let world: ReconcileWorld;

async function enforceIam(on: boolean) {
  const response = await fetch(`${world.moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : '1e9' });
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

test('an account whose access role is denied or missing fails alone; the others converge', async () => {
  const management = createIamClient(world.settings);
  await management.send(new CreateUserCommand({ UserName: 'reconciler' }));
  await management.send(new PutUserPolicyCommand({ UserName: 'reconciler', PolicyName: 'all', PolicyDocument: allowAll('*') }));
  const key = (await management.send(new CreateAccessKeyCommand({ UserName: 'reconciler' }))).AccessKey;
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }],
  });
  for (const account of [DEV, PROD, DATA]) {
    const iam = await world.iam(account);
    await iam.send(new CreateRoleCommand({ RoleName: ACCESS_ROLE, AssumeRolePolicyDocument: trust }));
    if (account !== PROD)
      await iam.send(new PutRolePolicyCommand({ RoleName: ACCESS_ROLE, PolicyName: 'reconcile', PolicyDocument: allowAll('iam:*') }));
  }
  const files = basePolicyFiles();
  files['accounts.yaml'] = `${files['accounts.yaml']}  - { id: "${NO_ROLE}", name: orphan, tags: { env: dev } }\n`;
  await world.putFiles(files);

  await enforceIam(true);
  let report;
  try {
    const settings = { ...world.settings, credentials: { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' } };
    report = await runReconcile(world.deps({ settings }));
  } finally {
    await enforceIam(false);
  }

  expect(report.status).toBe('partial');
  const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
  expect(byId.get(PROD)?.error).toMatch(/AccessDenied|not authorized/i);
  const missing = byId.get(NO_ROLE)?.error ?? '';
  expect(missing).toContain(`account ${NO_ROLE}`);
  expect(missing).toContain(`arn:aws:iam::${NO_ROLE}:role/${ACCESS_ROLE}`);
  expect(missing).toContain('deploy the member template (backend/deploy/templates/member.yaml)');
  expect(missing).not.toMatch(/XML|<html>|<\/title>/);
  expect(byId.get(PROD)?.error).not.toContain('member template');
  expect(byId.get(DEV)).toMatchObject({ created: ['Switchyard-Admin', 'Switchyard-ReadOnly'], failed: [] });
  expect(byId.get(DATA)).toMatchObject({ created: ['Switchyard-ReadOnly'], failed: [] });
  expect(byId.get(DEV)?.error).toBeUndefined();
  expect(report.summary.failedAccounts).toBe(2);
  expect((await world.roles(DATA)).has('Switchyard-ReadOnly')).toBe(true);
  expect((await world.roles(PROD)).has('Switchyard-ReadOnly')).toBe(false);
  // The failure reason is in the report next to the files, and it holds no credentials.
  const stored = JSON.stringify(await world.readReport());
  expect(stored).toContain(PROD);
  expect(stored).not.toContain(key?.SecretAccessKey ?? 'no-secret');
});

test('an access role AWS will not let the reconciler assume is reported with the account, the role and what to deploy', async () => {
  await world.reset();
  const proxy = await startFaultProxy(world.moto.endpoint);
  try {
    proxy.add(queryError('AssumeRole', 'AccessDenied', { when: (body) => body.includes(encodeURIComponent(`arn:aws:iam::${DATA}:role/`)) }));
    await world.putFiles(basePolicyFiles());
    const report = await runReconcile(world.deps({ settings: { ...world.settings, endpoint: proxy.endpoint } }));
    const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
    expect(report.status).toBe('partial');
    expect(byId.get(DATA)?.error).toBe(
      `account ${DATA}: the reconciler may not assume its access role arn:aws:iam::${DATA}:role/${ACCESS_ROLE} (AccessDenied). ` +
        `If the role is missing, deploy the member template (backend/deploy/templates/member.yaml) in account ${DATA}; ` +
        "if it is there, its trust policy must name the reconcile Lambda's role (docs/deploy.md)",
    );
    expect(byId.get(DEV)).toMatchObject({ created: ['Switchyard-Admin', 'Switchyard-ReadOnly'], failed: [] });
  } finally {
    await proxy.close();
  }
});
