/** A push refuses, before uploading anything, what the reconcile would refuse. */
import { describe, expect, it } from 'vitest';
import type { Account } from '../../shared/policy/model.ts';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import { checkPush, pushPolicy, type PushDeps } from './push-policy.ts';

const POOL = 'us-east-1:0f0e0d0c-0b0a-0908-0706-050403020100';
const discovered: Account[] = [
  { id: '111111111111', name: 'dev', tags: {}, regions: [] },
  { id: '222222222222', name: 'prod', tags: {}, regions: [] },
];
const asFiles = (entries: Record<string, string>) => Object.entries(entries).map(([path, content]) => ({ path, content }));

function folder(sets: string[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    'settings.yaml': 'discoverAccounts: true\n',
    'accounts.yaml': 'accounts:\n  - { name: dev, color: "#1d8102" }\n',
    ...Object.fromEntries(sets.map((name) => [`permission-sets/${name}.yaml`, 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n'])),
    'assignments.yaml': `assignments:\n${sets.map((name) => `  - { group: G, permissionSet: ${name}, accounts: "*" }\n`).join('')}`,
    ...extra,
  };
}

function setup(discover: () => Promise<Account[]> = async () => discovered) {
  const store = new MemoryObjectStore();
  const bucket = new PolicyBucket(store);
  const deps: PushDeps = {
    bucket,
    identityPoolId: POOL,
    developerProvider: 'login.switchyard.example',
    partition: 'aws',
    deletionGuardShare: 0.25,
    discoverAccounts: discover,
  };
  const written = () => [...store.objects.keys()].filter((key) => !key.endsWith('/policy.json'));
  return { store, bucket, deps, written };
}

describe('push checks', () => {
  it('refuse an accounts file naming an account the organization does not have, uploading nothing', async () => {
    const { deps, written } = setup();
    const { check, outcome } = await pushPolicy(
      deps,
      asFiles(folder(['ReadOnly'], { 'accounts.yaml': 'accounts:\n  - { name: ghost, color: "#1d8102" }\n' })),
    );
    expect(check.ok).toBe(false);
    expect(check.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`).join('\n')).toMatch(/^accounts\.yaml:2: .*ghost/m);
    expect(outcome).toBeUndefined();
    expect(written()).toEqual([]);
  });

  it('refuse when AWS Organizations cannot be read, as the reconcile would', async () => {
    const { deps, written } = setup(async () => {
      throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    });
    const { check } = await pushPolicy(deps, asFiles(folder(['ReadOnly'])));
    expect(check).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cannot discover accounts from AWS Organizations \(AccessDeniedException: not allowed\)/),
    });
    expect(written()).toEqual([]);
  });

  it('refuse a folder the deletion guard would refuse, measured against the last applied policy', async () => {
    const { bucket, deps, written } = setup();
    const sets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const first = await pushPolicy(deps, asFiles(folder(sets)));
    expect(first.outcome?.committed).toBe(true);
    if (first.check.ok) await bucket.publishPolicy({ policy: first.check.policy, available: {}, publishedAt: new Date().toISOString() }); // what the reconcile publishes once applied
    const before = written();

    // 16 roles applied (8 sets x 2 accounts); dropping 4 sets deletes 8 of them, over the 25 % guard.
    const { check, outcome } = await pushPolicy(deps, asFiles(folder(['A', 'B', 'C', 'D'])));
    expect(check).toMatchObject({ ok: false, guard: { allowed: false, deletions: 8, managedRoles: 16 } });
    expect(check.ok ? '' : check.reason).toMatch(/deletion guard would refuse this policy: refusing to delete 8 of 16 managed roles/);
    expect(outcome).toBeUndefined();
    expect(written()).toEqual(before);

    // The same folder with the override passes; a small change passes too.
    const allowed = await checkPush(
      deps,
      asFiles(folder(['A', 'B', 'C', 'D'], { 'settings.yaml': 'discoverAccounts: true\nallowMassDeletion: true\n' })),
    );
    expect(allowed.ok).toBe(true);
    expect((await checkPush(deps, asFiles(folder(['A', 'B', 'C', 'D', 'E', 'F', 'G'])))).ok).toBe(true);
  });
});
