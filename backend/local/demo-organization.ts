/**
 * Creates the demo organization in moto the way an admin's AWS would have it: a management account
 * (moto's default) and member accounts created through Organizations, in OUs, with tags.
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  MoveAccountCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

export interface DemoAccount {
  name: string;
  ouPath: string[];
  tags: Record<string, string>;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { name: 'payments-prod', ouPath: ['Workloads', 'Prod'], tags: { env: 'prod', unit: 'payments' } },
  { name: 'payments-dev', ouPath: ['Workloads', 'Dev'], tags: { env: 'dev', unit: 'payments' } },
  { name: 'data-prod', ouPath: ['Workloads', 'Prod'], tags: { env: 'prod', unit: 'data' } },
  { name: 'sandbox', ouPath: ['Sandbox'], tags: { env: 'sandbox' } },
];

/** Returns account name -> account id. */
export async function createDemoOrganization(organizations: OrganizationsClient, accounts = DEMO_ACCOUNTS): Promise<Map<string, string>> {
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const roots = await organizations.send(new ListRootsCommand({}));
  const rootId = roots.Roots?.[0]?.Id;
  if (!rootId) throw new Error('the new organization has no root');

  const ouIds = new Map<string, string>();
  async function ouFor(path: string[]): Promise<string> {
    let parentId = rootId as string;
    for (let depth = 1; depth <= path.length; depth++) {
      const key = path.slice(0, depth).join('/');
      let id = ouIds.get(key);
      if (!id) {
        const created = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: path[depth - 1] }));
        id = created.OrganizationalUnit?.Id;
        if (!id) throw new Error(`could not create OU ${key}`);
        ouIds.set(key, id);
      }
      parentId = id;
    }
    return parentId;
  }

  const ids = new Map<string, string>();
  for (const account of accounts) {
    const created = await organizations.send(
      new CreateAccountCommand({
        AccountName: account.name,
        Email: `aws+${account.name}@corp.example.com`,
        Tags: Object.entries(account.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const id = created.CreateAccountStatus?.AccountId;
    if (!id) throw new Error(`could not create account ${account.name}`);
    await organizations.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: await ouFor(account.ouPath) }));
    ids.set(account.name, id);
  }
  return ids;
}
