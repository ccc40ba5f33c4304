/**
 * Group members from LDAP (AD, Simple AD), read with the read-only service account: for each group an
 * assignment names, the directory's groups it matches (by CN, then checked as sign-in checks them,
 * policy/group-names.ts), then their members with paged searches. `ad-nested` asks AD for the members
 * of nested groups too, with the in-chain matching rule on memberOf
 * (`memberOf:1.2.840.113556.1.4.1941:=<group DN>`), the same rule sign-in uses from the other side;
 * `member` asks for direct members. Disabled and expired accounts are left out: they cannot sign in.
 * Filters are built from ldapts's filter classes, so a group name is never parsed as filter syntax.
 */
import { AndFilter, EqualityFilter, ExtensibleFilter, NotFilter, ResultCodeError, type Client, type Entry, type Filter } from 'ldapts';
import { groupMatches, parseDn } from '../../../shared/policy/group-names.ts';
import { DirectoryUnavailable } from '../directory.ts';
import type { GroupMember, GroupMembers, GroupRoute } from '../group-members.ts';
import { bindAsServiceAccount, onFirstReachable, type AttemptLog, type LdapServiceAccount, type LdapTransport } from './ldap-connection.ts';
import { accountUsable, IN_CHAIN_RULE } from './ldap-directory.ts';

export interface LdapGroupMembersConfig {
  transport: LdapTransport;
  baseDn: string;
  groups: 'ad-nested' | 'member';
  /** The domain's DNS name first: a person without a userPrincipalName is "<sAMAccountName>@<it>", as at sign-in. */
  upnSuffixes: readonly string[];
  serviceAccount: LdapServiceAccount;
  /** Entries per page of a search (default 500; tests page with fewer). */
  pageSize?: number;
}

const PAGE_SIZE = 500;
const PERSON_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'displayName', 'cn', 'userAccountControl', 'accountExpires'];

export function ldapGroupMembers(config: LdapGroupMembersConfig, log?: AttemptLog): GroupMembers {
  return {
    source: `the LDAP directory (${config.transport.urls.join(', ')})`,
    membersOf: (groups) =>
      asServiceAccount(config, log, async (client) => {
        const members = new Map<string, GroupMember[]>();
        for (const group of groups) members.set(group, await membersOfGroup(client, config, group));
        return members;
      }),
    routesOf: (groups) =>
      asServiceAccount(config, log, async (client) => {
        const routes = new Map<string, GroupRoute[] | undefined>();
        for (const group of groups) routes.set(group, await routesOfGroup(client, config, group));
        return routes;
      }),
  };
}

/** One conversation bound as the read-only service account; a refused bind or search is the directory unavailable. */
async function asServiceAccount<T>(config: LdapGroupMembersConfig, log: AttemptLog | undefined, work: (client: Client) => Promise<T>): Promise<T> {
  const password = await config.serviceAccount.password();
  try {
    return await onFirstReachable(
      config.transport,
      async (client) => {
        await bindAsServiceAccount(client, config.serviceAccount, password);
        return await work(client);
      },
      log,
    );
  } catch (error) {
    if (error instanceof ResultCodeError)
      throw new DirectoryUnavailable(`the directory refused the search: ${error.name} (LDAP result ${error.code})`);
    throw error;
  }
}

/**
 * Every person in the groups an assignment's group matches, disabled ones too, each with the chain of
 * nested groups that brings them in (read from the groups' own memberOf), or undefined when no
 * directory group matches.
 */
async function routesOfGroup(client: Client, config: LdapGroupMembersConfig, policyGroup: string): Promise<GroupRoute[] | undefined> {
  const matched = await matchingGroups(client, config, policyGroup);
  if (matched.length === 0) return undefined;
  const routes: GroupRoute[] = [];
  for (const groupDn of matched) {
    const paths = config.groups === 'ad-nested' ? await nestedPaths(client, config, groupDn) : new Map<string, string[]>();
    paths.set(dnKey(groupDn), []);
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter: peopleIn(config, groupDn),
      attributes: [...PERSON_ATTRIBUTES, 'mail', 'memberOf'],
      paged: { pageSize: config.pageSize ?? PAGE_SIZE },
    });
    for (const entry of searchEntries) {
      const chains = texts(entry.memberOf)
        .map((dn) => paths.get(dnKey(dn)))
        .filter((chain): chain is string[] => chain !== undefined)
        .sort((a, b) => a.length - b.length);
      const email = text(entry.mail);
      routes.push({
        ...memberOf(entry, config.upnSuffixes[0] ?? ''),
        ...(email ? { email } : {}),
        enabled: accountUsable(entry),
        groupDn,
        chain: chains[0] ?? [],
      });
    }
  }
  return routes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Each group nested (at any depth) in `groupDn` -> the groups from the outermost nested one down to it. */
async function nestedPaths(client: Client, config: LdapGroupMembersConfig, groupDn: string): Promise<Map<string, string[]>> {
  const { searchEntries } = await client.search(config.baseDn, {
    scope: 'sub',
    filter: new AndFilter({
      filters: [
        new EqualityFilter({ attribute: 'objectClass', value: 'group' }),
        new ExtensibleFilter({ matchType: 'memberOf', rule: IN_CHAIN_RULE, value: groupDn }),
      ],
    }),
    attributes: ['memberOf'],
    paged: { pageSize: config.pageSize ?? PAGE_SIZE },
  });
  const children = new Map<string, string[]>();
  for (const entry of searchEntries) {
    for (const parent of texts(entry.memberOf)) children.set(dnKey(parent), [...(children.get(dnKey(parent)) ?? []), entry.dn]);
  }
  const paths = new Map<string, string[]>();
  const queue: [string, string[]][] = [[groupDn, []]];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [dn, path] = next;
    for (const child of children.get(dnKey(dn)) ?? []) {
      if (paths.has(dnKey(child)) || dnKey(child) === dnKey(groupDn)) continue;
      const childPath = [...path, child];
      paths.set(dnKey(child), childPath);
      queue.push([child, childPath]);
    }
  }
  return paths;
}

function peopleIn(config: LdapGroupMembersConfig, groupDn: string): Filter {
  const membership =
    config.groups === 'ad-nested'
      ? new ExtensibleFilter({ matchType: 'memberOf', rule: IN_CHAIN_RULE, value: groupDn })
      : new EqualityFilter({ attribute: 'memberOf', value: groupDn });
  return new AndFilter({
    filters: [
      new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
      new NotFilter({ filter: new EqualityFilter({ attribute: 'objectClass', value: 'computer' }) }),
      membership,
    ],
  });
}

/** DNs compared as the directory compares them: without regard to case. */
function dnKey(dn: string): string {
  return dn.toLowerCase();
}

function texts(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((one) => (typeof one === 'string' ? one : one.toString('utf8')));
}

async function membersOfGroup(client: Client, config: LdapGroupMembersConfig, policyGroup: string): Promise<GroupMember[]> {
  const people = new Map<string, GroupMember>();
  for (const groupDn of await matchingGroups(client, config, policyGroup)) {
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter: peopleIn(config, groupDn),
      attributes: PERSON_ATTRIBUTES,
      paged: { pageSize: config.pageSize ?? PAGE_SIZE },
    });
    for (const entry of searchEntries) {
      if (!accountUsable(entry)) continue;
      const member = memberOf(entry, config.upnSuffixes[0] ?? '');
      if (!people.has(member.id)) people.set(member.id, member);
    }
  }
  return [...people.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The directory's groups an assignment's group names: found by CN, kept when they match as at sign-in. */
async function matchingGroups(client: Client, config: LdapGroupMembersConfig, policyGroup: string): Promise<string[]> {
  const groupClass = new EqualityFilter({ attribute: 'objectClass', value: 'group' });
  const name = commonNameOf(policyGroup);
  const filter: Filter =
    name === undefined ? groupClass : new AndFilter({ filters: [groupClass, new EqualityFilter({ attribute: 'cn', value: name })] });
  const { searchEntries } = await client.search(config.baseDn, {
    scope: 'sub',
    filter,
    attributes: ['cn'],
    paged: { pageSize: config.pageSize ?? PAGE_SIZE },
  });
  return searchEntries.map((entry) => entry.dn).filter((dn) => groupMatches(policyGroup, [dn]));
}

/** The CN a group must have: the plain name, or the first RDN's value of a DN (undefined when that is not a single CN). */
function commonNameOf(policyGroup: string): string | undefined {
  const dn = parseDn(policyGroup);
  if (!dn) return policyGroup.trim();
  const first = dn[0];
  return first?.startsWith('cn=') && !first.includes('+') ? first.slice(3) : undefined;
}

function memberOf(entry: Entry, primarySuffix: string): GroupMember {
  const accountName = text(entry.sAMAccountName) ?? '';
  return {
    id: text(entry.userPrincipalName) ?? `${accountName}@${primarySuffix.toLowerCase()}`,
    displayName: text(entry.displayName) ?? text(entry.cn) ?? accountName,
  };
}

function text(value: Entry[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
