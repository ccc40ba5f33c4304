/** The reconcile loop (lock, rerun, read one generation, publish) over an in-memory bucket: no moto. */
import { describe, expect, it } from 'vitest';
import type { Policy } from '../../shared/policy/model.ts';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import type { AccountsOutcome } from './reconcile-accounts.ts';
import { LOGGED_ACCOUNTS, runReconcile, type ReconcileDeps } from './run.ts';
import { recordingLogger } from '../../test/helpers/recording-logger.ts';

const DEV = '111111111111';
/** These runs replace the convergence, so no member account is ever reached. */
const noMemberAccount = (): never => {
  throw new Error('this test reaches no member account');
};
const PROD = '222222222222';

function policyFiles(sets: Record<string, string>): Record<string, string> {
  return {
    'accounts.yaml': `accounts:\n  - { id: "${DEV}", name: dev }\n  - { id: "${PROD}", name: prod }\n`,
    ...Object.fromEntries(
      Object.entries(sets).map(([name, duration]) => [
        `permission-sets/${name}.yaml`,
        `description: ${name}\nsessionDuration: ${duration}\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`,
      ]),
    ),
    'assignments.yaml': `assignments:\n${Object.keys(sets)
      .map((name) => `  - { group: G-${name}, permissionSet: ${name}, accounts: "*" }\n`)
      .join('')}`,
  };
}
const asFiles = (entries: Record<string, string>) => Object.entries(entries).map(([path, content]) => ({ path, content }));

/** What each convergence was asked to apply: permission set name -> session length. */
type Seen = Record<string, number>;

function world() {
  const store = new MemoryObjectStore();
  const bucket = new PolicyBucket(store, 'policy/');
  const seen: Seen[] = [];
  let onConverge: (() => Promise<void>) | undefined;
  const deps = (): ReconcileDeps => ({
    bucket,
    memberAccounts: { sts: noMemberAccount, iam: noMemberAccount },
    accessRoleName: 'SwitchyardReconcilerAccess',
    concurrency: 10,
    deletionGuardShare: 0.25,
    lockTtlMs: 15 * 60_000,
    partition: 'aws',
    identityPoolId: 'us-east-1:0f0e0d0c-0b0a-0908-0706-050403020100',
    developerProvider: 'login.switchyard.example',
    async convergeAccounts(policy: Policy): Promise<AccountsOutcome> {
      seen.push(Object.fromEntries(policy.permissionSets.map((set) => [set.name, set.sessionDurationSeconds])));
      await onConverge?.();
      return {
        status: 'applied',
        accounts: [],
        deletionGuard: { allowed: true, deletions: 0, managedRoles: 0, maxShare: 0.25 },
        mayHoldRoles: policy.accounts.map((account) => account.id),
      };
    },
  });
  return { store, bucket, seen, deps, setOnConverge: (hook: typeof onConverge) => (onConverge = hook) };
}

describe('a reconcile run', () => {
  it('applies the committed generation, reports it, publishes the policy and lets go of the lock', async () => {
    const { store, bucket, seen, deps } = world();
    const { generation } = await bucket.push(asFiles(policyFiles({ ReadOnly: 'PT8H' })));
    const report = await runReconcile(deps());
    expect(report).toMatchObject({ status: 'applied', generation });
    expect(seen).toEqual([{ ReadOnly: 8 * 3600 }]);
    expect((await bucket.readReport())?.runId).toBe(report.runId);
    const published = await bucket.readPublishedPolicy();
    expect(published !== 'not-modified' && published?.policy.permissionSets.map((set) => set.name)).toEqual(['ReadOnly']);
    expect(await bucket.readAccountsState()).toEqual([DEV, PROD]);
    expect(store.objects.has('policy/_switchyard/lock.json')).toBe(false);
  });

  it('with nothing pushed, or an invalid push, converges nothing and says why', async () => {
    const { bucket, seen, deps } = world();
    const nothing = await runReconcile(deps());
    expect(nothing.status).toBe('invalid');
    expect(nothing.problems[0]?.message).toMatch(/no policy has been pushed to memory:\/\/bucket\/policy\/ yet/);
    await bucket.push(asFiles({ ...policyFiles({ ReadOnly: 'PT8H' }), 'permission-sets/ReadOnly.yaml': 'sessionDuration: forever\n' }));
    expect((await runReconcile(deps())).status).toBe('invalid');
    expect(seen).toEqual([]);
    expect(await bucket.readPublishedPolicy()).toBeUndefined();
  });

  it('never sees half a push: a push committed mid-read is applied whole, by a second round', async () => {
    const { store, bucket, seen, deps } = world();
    await bucket.push(asFiles(policyFiles({ Admin: 'PT1H', ReadOnly: 'PT8H' })));
    let running: Promise<unknown> | undefined;
    // Pause the run after it read the commit and the first file, then push a policy that drops
    // Admin and changes ReadOnly, and deliver that push's event (a second invocation).
    let filesRead = 0;
    store.beforeGet = async (key) => {
      if (!key.includes('/generations/') || ++filesRead !== 2) return;
      await bucket.push(asFiles(policyFiles({ ReadOnly: 'PT4H' })));
      running = runReconcile(deps());
    };
    const report = await runReconcile(deps());
    expect(await running).toMatchObject({ status: 'deferred' });
    // Round one applied the old push whole; round two the new one whole; never a mix.
    expect(seen).toEqual([{ Admin: 3600, ReadOnly: 8 * 3600 }, { ReadOnly: 4 * 3600 }]);
    expect(report.generation).toBe((await bucket.readCommit())?.commit.generation);
  });

  it('a run that finds the lock held defers and leaves a rerun request the holder serves', async () => {
    const { store, bucket, seen, deps, setOnConverge } = world();
    await bucket.push(asFiles(policyFiles({ ReadOnly: 'PT8H' })));
    let deferred: Promise<unknown> | undefined;
    setOnConverge(async () => {
      setOnConverge(undefined);
      await bucket.push(asFiles(policyFiles({ ReadOnly: 'PT2H' })));
      deferred = runReconcile(deps());
      await deferred;
    });
    const last = await runReconcile(deps());
    expect(await deferred).toMatchObject({ status: 'deferred' });
    expect(seen.map((round) => round.ReadOnly)).toEqual([8 * 3600, 2 * 3600]);
    expect(last.status).toBe('applied');
    expect(store.objects.has('policy/_switchyard/rerun.json')).toBe(false);
    expect(store.objects.has('policy/_switchyard/lock.json')).toBe(false);
  });

  it('publishes which pairs work: converged ones, not failed or conflicting ones, and what an unreachable account had before', async () => {
    const { bucket, deps } = world();
    await bucket.push(asFiles(policyFiles({ Admin: 'PT1H', ReadOnly: 'PT8H' })));
    const outcome = (accounts: AccountsOutcome['accounts']) => async (): Promise<AccountsOutcome> => ({
      status: 'partial',
      accounts,
      deletionGuard: { allowed: true, deletions: 0, managedRoles: 0, maxShare: 0.25 },
      mayHoldRoles: [DEV, PROD],
    });
    const clean = (accountId: string) => ({ accountId, created: [], updated: [], deleted: [], conflicts: [], failed: [] });
    await runReconcile({
      ...deps(),
      convergeAccounts: outcome([clean(DEV), { ...clean(PROD), failed: [{ role: 'Switchyard-Admin', reason: 'LimitExceeded' }] }]),
    });
    const first = await bucket.readPublishedPolicy();
    expect(typeof first === 'object' && first.available).toEqual({ [DEV]: ['Admin', 'ReadOnly'], [PROD]: ['ReadOnly'] });

    // The next run cannot reach DEV at all and finds a foreign role where PROD's ReadOnly should be.
    await runReconcile({
      ...deps(),
      convergeAccounts: outcome([
        { ...clean(DEV), error: 'AccessDenied' },
        { ...clean(PROD), conflicts: [{ roleName: 'Switchyard-ReadOnly', reason: 'not managed' }] },
      ]),
    });
    const second = await bucket.readPublishedPolicy();
    expect(typeof second === 'object' && second.available).toEqual({ [DEV]: ['Admin', 'ReadOnly'], [PROD]: ['Admin'] });
  });

  it('logs a report of many accounts with the failing and changed ones first, at most LOGGED_ACCOUNTS, and keeps all of them in the bucket', async () => {
    const { bucket, deps } = world();
    await bucket.push(asFiles(policyFiles({ ReadOnly: 'PT8H' })));
    const logger = recordingLogger('switchyard-test', 'SILENT');
    const account = (i: number) => ({ accountId: String(400_000_000_000 + i), created: [], updated: [], deleted: [], conflicts: [], failed: [] });
    const accounts = [
      ...Array.from({ length: 5_000 }, (_, i) => account(i)),
      ...Array.from({ length: 20 }, (_, i) => ({ ...account(5_000 + i), created: ['Switchyard-ReadOnly'] })),
      { ...account(9_999), error: 'AccessDenied' },
    ];
    await runReconcile({
      ...deps(),
      logger,
      convergeAccounts: async (policy) => ({
        status: 'partial',
        accounts,
        deletionGuard: { allowed: true, deletions: 0, managedRoles: 0, maxShare: 0.25 },
        mayHoldRoles: policy.accounts.map((a) => a.id),
      }),
    });
    const logged = logger.entries.find((entry) => entry.message === 'reconcile report')?.fields.report as {
      accounts: { accountId: string }[];
      accountsNotLogged: number;
    };
    expect(logged.accounts.map((a) => a.accountId)).toEqual([
      String(400_000_009_999),
      ...Array.from({ length: 20 }, (_, i) => String(400_000_005_000 + i)),
    ]);
    expect(logged.accountsNotLogged).toBe(5_000);
    expect(JSON.stringify(logged).length).toBeLessThan(LOGGED_ACCOUNTS * 1000);
    expect((await bucket.readReport())?.accounts).toHaveLength(5_021);
  });

  it('publishes the accounts in display order, name then id, whatever order accounts.yaml lists them in', async () => {
    const { bucket, deps } = world();
    await bucket.push(
      asFiles({
        ...policyFiles({ ReadOnly: 'PT8H' }),
        'accounts.yaml': [
          'accounts:',
          '  - { id: "333333333333", name: zeta }',
          '  - { id: "444444444444", name: Alpha }',
          '  - { id: "555555555555", name: account 10 }',
          '  - { id: "666666666666", name: account 9 }',
          '  - { id: "222222222222", name: alpha }',
          '',
        ].join('\n'),
      }),
    );
    await runReconcile(deps());
    const published = await bucket.readPublishedPolicy();
    expect(typeof published === 'object' && published.policy.accounts.map((account) => `${account.name} ${account.id}`)).toEqual([
      'account 9 666666666666',
      'account 10 555555555555',
      'alpha 222222222222',
      'Alpha 444444444444',
      'zeta 333333333333',
    ]);
  });
});
