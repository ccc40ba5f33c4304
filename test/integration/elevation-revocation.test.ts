/**
 * Revocation ends live sessions, against the local stack: after alice revokes bob's grant, the reconciler (run
 * at once, as the bucket Lambda is by the "reconcile now" object) puts a deny for bob's sessions issued before
 * the revocation into the role's inline policy in the member account; the deny itself is proven with the IAM
 * policy simulator in shared/iam/revoked-sessions.test.ts. A push that makes the pair no longer eligible ends
 * the grant at that publish.
 */
import { GetRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '../../shared/api/requests.ts';
import { API_ROUTES } from '../../shared/api/routes.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { decodePolicyDocument } from '../../shared/iam/policy-document.ts';
import { revocationsIn, sessionUserIdPattern } from '../../shared/iam/revoked-sessions.ts';
import { assembleMemberAccountClients } from '../../backend/assemble/reconciler.ts';
import { readPolicyDir } from '../../backend/cli/policy-folder.ts';
import { DEMO_POLICY_DIR, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { pushPolicy } from '../../backend/push/push-policy.ts';
import { iamClientForAccount } from '../../backend/reconcile/account-access.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';

let stack: LocalStack;
let prodIam: IAMClient;
let bob: SessionResponse;
let alice: SessionResponse;
const { call, signIn } = apiCaller(() => stack.apiUrl);
const post = (path: string, token: string, json: unknown) => call(path, { method: 'POST', token, json });
const prod = () => stack.accountIds.get('payments-prod') ?? '';

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  prodIam = await iamClientForAccount(
    { clients: assembleMemberAccountClients(stack.moto.settings, 10), accessRoleName: 'SwitchyardReconcilerAccess', partition: 'aws' },
    prod(),
  );
  [bob, alice] = await Promise.all([signIn('bob', 'bob-demo-password'), signIn('alice', 'alice-demo-password')]);
});

afterAll(async () => {
  await stack?.stop();
});

async function grantedToBob(ticket: string): Promise<RequestView> {
  const created = API_ROUTES.requestCreate.response.parse(
    (await post('/requests', bob.token, { accountId: prod(), permissionSet: 'Developer', justification: ticket })).body,
  );
  return API_ROUTES.requestApprove.response.parse((await post(`/requests/${created.id}/approve`, alice.token, {})).body);
}

async function developerInlinePolicy() {
  const { PolicyDocument } = await prodIam.send(new GetRolePolicyCommand({ RoleName: 'Switchyard-Developer', PolicyName: 'switchyard-inline' }));
  return decodePolicyDocument(PolicyDocument ?? '{}');
}

/**
 * A run of our own that waits for the lock: a revocation starts a run in the background (the local stack's
 * stand-in for the bucket Lambda), and a run that finds the lock held would otherwise defer to it at once.
 */
async function reconcileAfterOthers() {
  return runReconcile({ ...stack.reconciler, lockWaitMs: 60_000 });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('revoking a grant', () => {
  it("denies bob's sessions issued before the revocation in the role, and keeps the permission set's own statements", async () => {
    const grant = await grantedToBob('OPS-7');
    expect((await post('/federate', bob.token, { accountId: prod(), permissionSet: 'Developer' })).status).toBe(200);
    const before = await developerInlinePolicy();
    expect(revocationsIn(before)).toEqual([]);

    const revoked = API_ROUTES.requestRevoke.response.parse(
      (await post(`/requests/${grant.id}/revoke`, alice.token, { reason: 'incident closed' })).body,
    );
    expectError(await post('/federate', bob.token, { accountId: prod(), permissionSet: 'Developer' }), 403, 'grant_required');

    const after = await until(developerInlinePolicy, (document) => revocationsIn(document).length > 0);
    const [revocation] = revocationsIn(after);
    expect(revocation?.sessionName).toBe('bob@corp.example.com');
    expect(Date.parse(revocation?.revokedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(revoked.closed!.at));
    expect(Date.parse(revocation?.revokedAt ?? '')).toBeLessThan(Date.parse(revoked.closed!.at) + 1000);
    expect(JSON.stringify(after)).toContain(JSON.stringify(sessionUserIdPattern('bob@corp.example.com')));
    // The deny-secrets statement of the Developer permission set is still there.
    expect(JSON.stringify(after)).toContain('secretsmanager');
  });

  it('a later run keeps the deny (it reads the revocation again, and the role still has it)', async () => {
    expect((await reconcileAfterOthers()).status).toBe('applied');
    expect(revocationsIn(await developerInlinePolicy())).toHaveLength(1);
  });
});

describe('a push that makes the pair no longer eligible', () => {
  it('ends its grants at that publish, as a revocation by Switchyard, and the next click is refused', async () => {
    const grant = await grantedToBob('OPS-8');
    // The demo policy, but the eligible pair moves to data-prod.
    const files = (await readPolicyDir(DEMO_POLICY_DIR)).map((file) =>
      file.path === 'eligibility.yaml' ? { path: file.path, content: file.content.replace('names: [payments-prod]', 'names: [data-prod]') } : file,
    );
    const pushed = await pushPolicy(stack.reconciler, files, { committedBy: 'test' });
    expect(pushed.check.ok).toBe(true);
    const report = await reconcileAfterOthers();
    expect(report.status).toBe('applied');
    const ended = API_ROUTES.requestGet.response.parse((await call(`/requests/${grant.id}`, { token: bob.token })).body);
    expect(ended).toMatchObject({ state: 'revoked', closed: { reason: expect.stringContaining('no longer offered to Auditors') } });
    expect(ended.closed?.by).toBeUndefined();
    // The API reads the published policy within its cache time (2 s locally): the pair is no longer even eligible.
    const refused = await until(
      () => post('/federate', bob.token, { accountId: prod(), permissionSet: 'Developer' }),
      (answer) => answer.status === 403 && (answer.body as { error: { code: string } }).error.code === 'forbidden',
    );
    expectError(refused, 403, 'forbidden');
  });
});
