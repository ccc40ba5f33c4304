/**
 * The account inventory from AWS Organizations, for policies whose settings say
 * `discoverAccounts: true`: every active member account with its name, tags and OU path ("/Root/...").
 * The management account is left out: roles there are rarely wanted and it is the most sensitive
 * account; list it in accounts.yaml by id to manage it anyway.
 */
import {
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import pLimit from 'p-limit';
import type { Account } from '../../shared/policy/model.ts';

export async function discoverOrganizationAccounts(organizations: OrganizationsClient, concurrency = 4): Promise<Account[]> {
  const organization = await organizations.send(new DescribeOrganizationCommand({}));
  const managementAccountId = organization.Organization?.MasterAccountId;
  const listed: { id: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const page = await organizations.send(new ListAccountsCommand({ NextToken: token }));
    for (const account of page.Accounts ?? []) {
      if (account.Id && account.Id !== managementAccountId && (account.Status === undefined || account.Status === 'ACTIVE')) listed.push({ id: account.Id, name: account.Name ?? account.Id });
    }
    token = page.NextToken;
  } while (token);

  const roots = await organizations.send(new ListRootsCommand({}));
  const rootNames = new Map((roots.Roots ?? []).map((root) => [root.Id ?? '', root.Name ?? 'Root']));
  const ouNames = new Map<string, Promise<string>>();
  const ouName = (id: string) => {
    let name = ouNames.get(id);
    if (!name) {
      name = organizations
        .send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }))
        .then((response) => response.OrganizationalUnit?.Name ?? id);
      ouNames.set(id, name);
    }
    return name;
  };
  const ouPathOf = async (childId: string): Promise<string> => {
    const names: string[] = [];
    let current = childId;
    for (let depth = 0; depth < 10; depth++) {
      const parents = await organizations.send(new ListParentsCommand({ ChildId: current }));
      const parent = parents.Parents?.[0];
      if (!parent?.Id) break;
      if (parent.Type === 'ROOT') {
        names.unshift(rootNames.get(parent.Id) ?? 'Root');
        break;
      }
      names.unshift(await ouName(parent.Id));
      current = parent.Id;
    }
    return `/${names.join('/')}`;
  };

  const limit = pLimit(concurrency);
  return Promise.all(
    listed.map(({ id, name }) =>
      limit(async (): Promise<Account> => {
        const tags: Record<string, string> = {};
        let tagToken: string | undefined;
        do {
          const page = await organizations.send(new ListTagsForResourceCommand({ ResourceId: id, NextToken: tagToken }));
          for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
          tagToken = page.NextToken;
        } while (tagToken);
        return { id, name, tags, regions: [], ouPath: await ouPathOf(id) };
      }),
    ),
  );
}
