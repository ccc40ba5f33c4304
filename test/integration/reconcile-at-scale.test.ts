/**
 * The reconciler against many member accounts in the simulated AWS (test/helpers/simulated-aws): what
 * the scale benchmark found, held as tests. The numbers of accounts are small; what is checked is how the
 * cost grows with them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assembleReconciler } from '../../backend/assemble/reconciler.ts';
import { PolicyBucket } from '../../backend/bucket/policy-bucket.ts';
import { reconcilerConfig } from '../../backend/config/config.ts';
import { runReconcile } from '../../backend/reconcile/run.ts';
import { MemoryObjectStore } from '../helpers/memory-object-store.ts';
import { startSimulatedAws, type SimulatedAws } from '../helpers/simulated-aws/server.ts';

const ACCOUNTS = 300;
const CONCURRENCY = 5;
const accountId = (i: number) => String(300_000_000_000 + i);

let sim: SimulatedAws;
beforeAll(async () => {
  sim = await startSimulatedAws({
    memberAccounts: Array.from({ length: ACCOUNTS }, (_, i) => ({ id: accountId(i), name: `acct-${i}` })),
    accessRoleName: 'SwitchyardReconcilerAccess',
    latencyMs: 1,
  });
});
afterAll(() => sim?.close());

function policyFiles() {
  return [
    {
      path: 'accounts.yaml',
      content: `accounts:\n${Array.from({ length: ACCOUNTS }, (_, i) => `  - { id: "${accountId(i)}", name: acct-${i} }`).join('\n')}\n`,
    },
    {
      path: 'assignments.yaml',
      content: 'assignments:\n  - { group: a, permissionSet: Reader, accounts: "*" }\n  - { group: b, permissionSet: Writer, accounts: "*" }\n',
    },
    { path: 'permission-sets/Reader.yaml', content: 'sessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' },
    { path: 'permission-sets/Writer.yaml', content: 'sessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/PowerUserAccess]\n' },
  ];
}

test('member accounts share a pool of connections: as many as accounts worked on at once, not two per account', async () => {
  const bucket = new PolicyBucket(new MemoryObjectStore(), '');
  await bucket.push(policyFiles());
  const config = reconcilerConfig({
    AWS_REGION: 'us-east-1',
    SWITCHYARD_LOG_LEVEL: 'SILENT',
    SWITCHYARD_POLICY_BUCKET: 'unused-bucket',
    SWITCHYARD_IDENTITY_POOL_ID: 'us-east-1:00000000-0000-0000-0000-000000000000',
    SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.example',
    SWITCHYARD_AWS_ENDPOINT: sim.endpoint,
    SWITCHYARD_RECONCILE_CONCURRENCY: String(CONCURRENCY),
  });
  const deps = assembleReconciler(config, { bucket, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  const report = await runReconcile(deps);

  expect(report.status).toBe('applied');
  expect(report.summary.created).toBe(2 * ACCOUNTS);
  // Each open connection is a file the Lambda holds (it may hold 1,024) and, on AWS, a TLS handshake.
  expect(sim.stats.connections).toBeLessThanOrEqual(2 * CONCURRENCY);
});
