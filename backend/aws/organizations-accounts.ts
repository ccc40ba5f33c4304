/**
 * The account inventory from AWS Organizations, for policies whose settings say
 * `discoverAccounts: true`: every ACTIVE member account (suspended or closing ones are left out)
 * with its name, tags and OU path ("/Root/Workloads/Prod"). The management account is left out —
 * the most sensitive account should not get roles from an `accounts: "*"`; list it by id in an
 * accounts file to manage it anyway. OU paths come from one walk down the OU tree
 * (two paged calls per OU) rather than a ListParents climb per account; tags cost one call per
 * account. Colour and regions are not set here: the policy loader takes them from the
 * switchyard:color / switchyard:regions tags, the accounts files or the default regions.
 */
import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import pLimit from 'p-limit';
import type { Account } from '../../shared/policy/model.ts';

export interface DiscoverOptions {
  /** Parallel calls at most (Organizations allows few requests per second). Default 4. */
  concurrency?: number;
  /** Page size for list calls; the service maximum when unset. */
  pageSize?: number;
  /** Keep the management account in the inventory (default: left out). */
  includeManagementAccount?: boolean;
}

export async function discoverAccounts(client: OrganizationsClient, options: DiscoverOptions = {}): Promise<Account[]> {
  const limit = pLimit(options.concurrency ?? 4);
  const paging = { client, ...(options.pageSize ? { pageSize: options.pageSize } : {}) };

  const organization = await client.send(new DescribeOrganizationCommand({}));
  const managementAccountId = options.includeManagementAccount ? undefined : organization.Organization?.MasterAccountId;
  const listed: { id: string; name: string }[] = [];
  for await (const page of paginateListAccounts(paging, {})) {
    for (const account of page.Accounts ?? []) {
      const state = account.State ?? account.Status;
      if (account.Id && account.Id !== managementAccountId && state === 'ACTIVE') listed.push({ id: account.Id, name: account.Name ?? account.Id });
    }
  }

  const ouPaths = await accountOuPaths(paging, limit);
  const accounts = await Promise.all(
    listed.map(({ id, name }) =>
      limit(async (): Promise<Account> => {
        const pairs: [string, string][] = [];
        for await (const page of paginateListTagsForResource(paging, { ResourceId: id })) {
          for (const tag of page.Tags ?? []) if (tag.Key) pairs.push([tag.Key, tag.Value ?? '']);
        }
        // fromEntries keeps a tag named "__proto__" as data; assigning it would touch the prototype.
        const tags: Record<string, string> = Object.fromEntries(pairs);
        const ouPath = ouPaths.get(id);
        return { id, name, tags, regions: [], ...(ouPath ? { ouPath } : {}) };
      }),
    ),
  );
  return accounts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
}

type Paging = { client: OrganizationsClient; pageSize?: number };

/** Account id -> "/Root/OU/Child", walking the tree breadth first from every root. */
async function accountOuPaths(paging: Paging, limit: ReturnType<typeof pLimit>): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  let level: { id: string; path: string }[] = [];
  for await (const page of paginateListRoots(paging, {})) {
    for (const root of page.Roots ?? []) if (root.Id) level.push({ id: root.Id, path: `/${root.Name ?? 'Root'}` });
  }
  while (level.length > 0) {
    const next = await Promise.all(
      level.map((parent) =>
        limit(async () => {
          for await (const page of paginateListAccountsForParent(paging, { ParentId: parent.id })) {
            for (const account of page.Accounts ?? []) if (account.Id) paths.set(account.Id, parent.path);
          }
          const children: { id: string; path: string }[] = [];
          for await (const page of paginateListOrganizationalUnitsForParent(paging, { ParentId: parent.id })) {
            for (const unit of page.OrganizationalUnits ?? []) {
              if (unit.Id) children.push({ id: unit.Id, path: `${parent.path}/${unit.Name ?? unit.Id}` });
            }
          }
          return children;
        }),
      ),
    );
    level = next.flat();
  }
  return paths;
}
