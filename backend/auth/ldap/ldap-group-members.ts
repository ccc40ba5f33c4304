/**
 * Group members from LDAP (AD, Simple AD), read with the read-only service account: for each group an
 * assignment names, the directory's groups it matches (by CN, then checked as sign-in checks them,
 * policy/group-names.ts), then their members with paged searches. `ad-nested` asks AD for the members
 * of nested groups too, with the in-chain matching rule on memberOf
 * (`memberOf:1.2.840.113556.1.4.1941:=<group DN>`), the same rule sign-in uses from the other side;
 * `member` asks for direct members. Disabled and expired accounts are left out: they cannot sign in.
 * Filters are built from ldapts's filter classes, so a group name is never parsed as filter syntax.
 */
import {
  AndFilter,
  EqualityFilter,
  ExtensibleFilter,
  InvalidCredentialsError,
  NotFilter,
  ResultCodeError,
  type Client,
  type Entry,
  type Filter,
} from 'ldapts';
import { groupMatches, parseDn } from '../../../shared/policy/group-names.ts';
import { DirectoryUnavailable } from '../directory.ts';
import type { GroupMember, GroupMembers } from '../group-members.ts';
import { onFirstReachable, type AttemptLog, type LdapTransport } from './ldap-connection.ts';
import { accountUsable, IN_CHAIN_RULE } from './ldap-directory.ts';

export interface LdapGroupMembersConfig {
  transport: LdapTransport;
  baseDn: string;
  groups: 'ad-nested' | 'member';
  /** The domain's DNS name first: a person without a userPrincipalName is "<sAMAccountName>@<it>", as at sign-in. */
  upnSuffixes: readonly string[];
  serviceAccount: { bindName: string; password: () => Promise<string> };
  /** Entries per page of a search (default 500; tests page with fewer). */
  pageSize?: number;
}

const PAGE_SIZE = 500;
const PERSON_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'displayName', 'cn', 'userAccountControl', 'accountExpires'];

export function ldapGroupMembers(config: LdapGroupMembersConfig, log?: AttemptLog): GroupMembers {
  return {
    source: `the LDAP directory (${config.transport.urls.join(', ')})`,
    async membersOf(groups) {
      const password = await config.serviceAccount.password();
      try {
        return await onFirstReachable(
          config.transport,
          async (client) => {
            try {
              await client.bind(config.serviceAccount.bindName, password);
            } catch (error) {
              if (error instanceof InvalidCredentialsError) {
                throw new DirectoryUnavailable('the service account (SWITCHYARD_LDAP_SERVICE_ACCOUNT) could not bind: check its name and password');
              }
              throw error;
            }
            const members = new Map<string, GroupMember[]>();
            for (const group of groups) members.set(group, await membersOfGroup(client, config, group));
            return members;
          },
          log,
        );
      } catch (error) {
        if (error instanceof ResultCodeError)
          throw new DirectoryUnavailable(`the directory refused the search: ${error.name} (LDAP result ${error.code})`);
        throw error;
      }
    },
  };
}

async function membersOfGroup(client: Client, config: LdapGroupMembersConfig, policyGroup: string): Promise<GroupMember[]> {
  const people = new Map<string, GroupMember>();
  for (const groupDn of await matchingGroups(client, config, policyGroup)) {
    const membership =
      config.groups === 'ad-nested'
        ? new ExtensibleFilter({ matchType: 'memberOf', rule: IN_CHAIN_RULE, value: groupDn })
        : new EqualityFilter({ attribute: 'memberOf', value: groupDn });
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter: new AndFilter({
        filters: [
          new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
          new NotFilter({ filter: new EqualityFilter({ attribute: 'objectClass', value: 'computer' }) }),
          membership,
        ],
      }),
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
