/**
 * "Lists only what works", over real HTTP against the local stack: after a reconcile that ends partial,
 * the API lists and opens only the (account, permission set) pairs whose role is in place; an assigned pair
 * whose role is missing answers 409 role_unavailable; with no policy published, or S3 failing, every
 * signed-in route answers 503 policy_unavailable instead of 500.
 */
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { assembleMemberAccountClients } from '../../backend/assemble/reconciler.ts';
import { createS3Client } from '../../backend/aws/clients.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { DEMO_POLICY_DIR, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { readPolicyDir } from '../../backend/cli/policy-folder.ts';
import { pushPolicy } from '../../backend/push/push-policy.ts';
import { iamClientForAccount } from '../../backend/reconcile/account-access.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { queryError, s3Error, startFaultProxy, type FaultProxy } from '../helpers/aws-fault-proxy.ts';

let stack: LocalStack;
let proxy: FaultProxy;
const extraApis: RunningServer[] = [];
const main = apiCaller(() => stack.apiUrl);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  proxy = await startFaultProxy(stack.moto.endpoint);
});

afterAll(async () => {
  for (const api of extraApis) await api.close();
  await proxy?.close();
  await stack?.stop();
});

const pairs = (session: Pick<SessionResponse, 'entitlements'>) => session.entitlements.map((e) => `${e.accountName}/${e.permissionSet}`).sort();
const accountId = (name: string) => stack.accountIds.get(name) ?? '';

/** The API assembled from the stack's environment with some variables changed, served on loopback. */
async function apiWith(env: Record<string, string>) {
  const deps = await assembleApi(apiConfig({ ...stack.env, ...env }), {
    credentials: stack.moto.settings.credentials,
    logger: createLogger('switchyard-test', 'SILENT'),
  });
  const api = await serveApi(makeApiApp(deps), 0);
  extraApis.push(api);
  return apiCaller(() => api.url);
}

describe('after a reconcile that ends partial', () => {
  it('lists and opens only the pairs whose role is in place; an assigned pair without its role is a 409', async () => {
    // A role of someone else's with the name Switchyard wants for Auditor in sandbox: a conflict.
    const sandboxIam = await iamClientForAccount(
      { clients: assembleMemberAccountClients(stack.moto.settings, 1), accessRoleName: 'SwitchyardReconcilerAccess', partition: 'aws' },
      accountId('sandbox'),
    );
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] });
    await sandboxIam.send(new CreateRoleCommand({ RoleName: 'Switchyard-Auditor', AssumeRolePolicyDocument: trust }));

    // The demo policy plus an Auditor permission set for the Developers group, in sandbox and payments-dev.
    const files = (await readPolicyDir(DEMO_POLICY_DIR)).map((file) =>
      file.path === 'assignments.yaml'
        ? {
            path: file.path,
            content: `${file.content}\n  - group: Developers\n    permissionSet: Auditor\n    accounts:\n      - names: [sandbox, payments-dev]\n`,
          }
        : file,
    );
    files.push({
      path: 'permission-sets/Auditor.yaml',
      content: 'description: Read audit trails\nsessionDuration: PT2H\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n',
    });
    const pushed = await pushPolicy(stack.reconciler, files);
    expect(pushed.check.ok, JSON.stringify(pushed.check.problems)).toBe(true);

    // payments-dev cannot be reached in this run: its access role is denied.
    const denied = proxy.add(
      queryError('AssumeRole', 'AccessDenied', {
        when: (body) => body.includes(encodeURIComponent(`arn:aws:iam::${accountId('payments-dev')}:role/`)),
      }),
    );
    const report = await runReconcile({
      ...stack.reconciler,
      memberAccounts: assembleMemberAccountClients({ ...stack.moto.settings, endpoint: proxy.endpoint }, 1),
    });
    proxy.clear();
    expect(proxy.answered.get(denied)).toBeGreaterThan(0);
    expect(report.status).toBe('partial');
    expect(report.accounts.find((a) => a.accountId === accountId('sandbox'))?.conflicts.map((c) => c.roleName)).toEqual(['Switchyard-Auditor']);

    await new Promise((resolve) => setTimeout(resolve, 2100)); // the local API re-reads the published policy every 2 s
    const alice = await main.signIn('alice', 'alice-demo-password');
    const listed = pairs(alice);
    // Converged, and kept from before in the account that failed as a whole:
    expect(listed).toEqual(expect.arrayContaining(['sandbox/Developer', 'payments-dev/Developer', 'payments-dev/AdministratorAccess']));
    // Neither the conflicting role nor a role the failed account never got:
    expect(listed).not.toContain('sandbox/Auditor');
    expect(listed).not.toContain('payments-dev/Auditor');
    expect(pairs((await main.call('/entitlements', { token: alice.token })).body as SessionResponse)).toEqual(listed);

    const open = (name: string, permissionSet: string) =>
      main.call('/federate', { method: 'POST', token: alice.token, json: { accountId: accountId(name), permissionSet } });
    expect(expectError(await open('sandbox', 'Auditor'), 409, 'role_unavailable')).toBe(
      `the role for Auditor in account ${accountId('sandbox')} is not in place yet (the last reconcile could not create or repair it); ask your Switchyard administrator`,
    );
    expectError(await open('payments-dev', 'Auditor'), 409, 'role_unavailable');
    expect((await open('payments-dev', 'Developer')).status).toBe(200);
    expect((await open('sandbox', 'Developer')).status).toBe(200);
    // Not assigned at all is still a 403, not a 409.
    const bob = await main.signIn('bob', 'bob-demo-password');
    expectError(
      await main.call('/federate', { method: 'POST', token: bob.token, json: { accountId: accountId('sandbox'), permissionSet: 'Auditor' } }),
      403,
      'forbidden',
    );
  });
});

describe('without a readable published policy', () => {
  it('answers 503 policy_unavailable when nothing has been published yet', async () => {
    await createS3Client(stack.moto.settings).send(new CreateBucketCommand({ Bucket: 'switchyard-nothing-published' }));
    const empty = await apiWith({ SWITCHYARD_POLICY_BUCKET: 'switchyard-nothing-published' });
    const token = (await main.signIn('alice', 'alice-demo-password')).token; // same session secret: the token is valid there too
    const message = expectError(await empty.call('/entitlements', { token }), 503, 'policy_unavailable');
    expect(message).toBe('no policy has been published yet: an administrator has to push policy files first');
    expectError(
      await empty.call('/session', { method: 'POST', json: { username: 'alice', password: 'alice-demo-password' } }),
      503,
      'policy_unavailable',
    );
    expectError(
      await empty.call('/federate', { method: 'POST', token, json: { accountId: accountId('sandbox'), permissionSet: 'Developer' } }),
      503,
      'policy_unavailable',
    );
  });

  it('answers 503 policy_unavailable when S3 refuses or fails, naming no bucket internals', async () => {
    proxy.add(s3Error('_switchyard/policy.json', 'AccessDenied', 403));
    const failing = await apiWith({ SWITCHYARD_AWS_ENDPOINT: proxy.endpoint, SWITCHYARD_AWS_MAX_ATTEMPTS: '2' });
    const token = (await main.signIn('alice', 'alice-demo-password')).token;
    expect(expectError(await failing.call('/entitlements', { token }), 503, 'policy_unavailable')).toBe(
      'the policy bucket cannot be read right now (AccessDenied); try again in a minute',
    );
    proxy.clear();
    proxy.add(s3Error('_switchyard/policy.json', 'InternalError', 500));
    const federate = await failing.call('/federate', {
      method: 'POST',
      token,
      json: { accountId: accountId('sandbox'), permissionSet: 'Developer' },
    });
    expect(expectError(federate, 503, 'policy_unavailable')).toMatch(/^the policy bucket cannot be read right now \(InternalError/);
    proxy.clear();
  });
});
