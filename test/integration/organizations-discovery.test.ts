/**
 * Account discovery against AWS Organizations in moto: OU paths, tags, suspended accounts left out,
 * paging; then the demo policy loaded with the discovered accounts.
 */
import { CloseAccountCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationsClient } from '../../backend/aws/clients.ts';
import { createDemoOrganization, DEMO_ACCOUNTS } from '../../backend/local/demo-organization.ts';
import { MOTO_MANAGEMENT_ACCOUNT, startMoto, type MotoServer } from '../../backend/local/moto.ts';
import { readPolicyDir } from '../../backend/cli/policy-folder.ts';
import { discoverAccounts } from '../../backend/aws/organizations-accounts.ts';
import { resolveEntitlements } from '../../shared/entitlements.ts';
import { loadPolicy } from '../../shared/policy/load-policy.ts';

const DEMO_POLICY_DIR = new URL('../../backend/local/demo/policy', import.meta.url).pathname;

let moto: MotoServer;
let organizations: OrganizationsClient;
let ids: Map<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  organizations = createOrganizationsClient(moto.settings);
  ids = await createDemoOrganization(organizations, [
    ...DEMO_ACCOUNTS.map((account) =>
      account.name === 'payments-prod' ? { ...account, tags: { ...account.tags, 'switchyard:color': 'd13212' } } : account,
    ),
    { name: 'team-a-staging', ouPath: ['Workloads', 'Dev', 'Team-A'], tags: { env: 'staging', 'switchyard:regions': 'eu-central-1 us-east-1' } },
    { name: 'retired', ouPath: ['Sandbox'], tags: { env: 'dev' } },
  ]);
  await organizations.send(new CloseAccountCommand({ AccountId: ids.get('retired') }));
});

afterAll(async () => {
  organizations?.destroy();
  await moto?.stop();
});

describe('discoverAccounts', () => {
  it('lists active accounts with names, tags and OU paths, paging through every list', async () => {
    const accounts = await discoverAccounts(organizations, { pageSize: 2 });
    expect(accounts.map((account) => account.name)).not.toContain('retired');
    const byName = new Map(accounts.map((account) => [account.name, account]));
    expect(byName.get('payments-prod')).toEqual({
      id: ids.get('payments-prod'),
      name: 'payments-prod',
      tags: { env: 'prod', unit: 'payments', 'switchyard:color': 'd13212' },
      regions: [],
      ouPath: '/Root/Workloads/Prod',
    });
    expect(byName.get('payments-dev')?.ouPath).toBe('/Root/Workloads/Dev');
    expect(byName.get('team-a-staging')?.ouPath).toBe('/Root/Workloads/Dev/Team-A');
    expect(byName.get('sandbox')?.ouPath).toBe('/Root/Sandbox');
    expect(accounts.map((account) => account.id)).not.toContain(MOTO_MANAGEMENT_ACCOUNT);
    expect(accounts).toHaveLength(5);
    expect(await discoverAccounts(organizations)).toEqual(accounts);
  });

  it('keeps the management account, at the root, only when asked', async () => {
    const accounts = await discoverAccounts(organizations, { includeManagementAccount: true });
    expect(accounts).toHaveLength(6);
    expect(accounts.find((account) => account.id === MOTO_MANAGEMENT_ACCOUNT)?.ouPath).toBe('/Root');
  });

  it('feeds the demo policy: colours and regions from files and tags, selectors by tag and OU', async () => {
    const discovered = await discoverAccounts(organizations);
    const { policy, problems } = loadPolicy(await readPolicyDir(DEMO_POLICY_DIR), { discoveredAccounts: discovered });
    expect(problems).toEqual([]);
    const staging = policy!.accounts.find((account) => account.name === 'team-a-staging');
    expect(staging).toMatchObject({ regions: ['eu-central-1', 'us-east-1'] });
    expect(policy!.accounts.find((account) => account.name === 'payments-prod')).toMatchObject({
      color: '#d13212',
      regions: ['eu-west-1', 'us-east-1'],
    });

    const pairs = (groups: string[]) =>
      resolveEntitlements(policy!, groups).map((entitlement) => `${entitlement.accountName}/${entitlement.permissionSet}`);
    expect(pairs(['Developers'])).toEqual(['payments-dev/Developer', 'sandbox/Developer']);
    // Auditors may also ask for payments-prod Developer (the demo's eligibility).
    expect(pairs(['Auditors'])).toEqual(['data-prod/ReadOnly', 'payments-prod/Developer', 'payments-prod/ReadOnly']);
    expect(pairs(['platform-admins'])).toHaveLength(discovered.length);
  });
});
