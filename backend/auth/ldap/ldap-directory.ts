/**
 * The company directory over LDAP: AWS Managed Microsoft AD (LDAPS), Simple AD, or the on-premises
 * domain controllers behind AD Connector.
 *
 * Sign-in binds as the person: "alice@corp.example.com" as typed (a configured UPN suffix), or
 * "CORP\alice" for "alice" and "CORP\alice" (the configured NetBIOS domain; the UPN with the domain's
 * DNS name when none is configured). An empty password is refused before any bind (an LDAP bind with
 * an empty password is an unauthenticated bind, which AD answers with success). The person's entry
 * and groups are then read over the same connection, with their own rights.
 *
 * Groups: `ad-nested` asks AD for every group the person is in, directly or through nested groups,
 * with the in-chain matching rule (LDAP_MATCHING_RULE_IN_CHAIN, 1.2.840.113556.1.4.1941); `member`
 * asks for the groups that list the person as a direct member. Every filter is built from ldapts's
 * filter classes, which send values as BER octet strings: a user name or DN is never parsed as filter
 * syntax, so "*" or ")(|(cn=*" match nothing.
 *
 * Looking a person up again (refresh) needs no password of theirs: a read-only service account binds,
 * finds them by account name, refuses disabled or expired accounts and reads their groups.
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
import { DirectoryUnavailable, type Directory, type DirectoryPerson } from '../directory.ts';
import { hasControlCharacter, parseLogonName, upnOf, type LogonName, type LogonNameRules } from '../logon-name.ts';
import { onFirstReachable, type AttemptLog, type LdapTransport } from './ldap-connection.ts';

export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';
const ACCOUNT_DISABLED = 0x2;
/** accountExpires values that mean "never" (0 and the largest 64-bit integer). */
const NEVER_EXPIRES = new Set(['0', '9223372036854775807']);
const USER_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'displayName', 'cn', 'userAccountControl', 'accountExpires'];

export interface LdapDirectoryConfig extends LogonNameRules {
  transport: LdapTransport;
  /** Where people and groups are searched, e.g. "DC=corp,DC=example,DC=com". */
  baseDn: string;
  groups: 'ad-nested' | 'member';
  /** Read-only account for looking people up again; without it, sessions cannot be refreshed. */
  serviceAccount?: { bindName: string; password: () => Promise<string> };
}

export interface LdapDirectoryLog extends AttemptLog {
  /** Something the operator must fix (an LDAP error other than wrong credentials); no user data. */
  problem(message: string): void;
}

export class LdapDirectory implements Directory {
  readonly lookup?: (accountName: string) => Promise<DirectoryPerson | null>;
  readonly findById?: (id: string) => Promise<DirectoryPerson | null>;

  constructor(
    private readonly config: LdapDirectoryConfig,
    private readonly log?: LdapDirectoryLog,
  ) {
    if (config.serviceAccount) {
      this.lookup = (accountName) => this.#lookup(accountName);
      this.findById = (id) => this.#findById(id);
    }
  }

  async authenticate(username: string, password: string): Promise<DirectoryPerson | null> {
    if (password.length === 0) return null;
    const logon = parseLogonName(username, this.config);
    if (!logon) return null;
    const bindName = logon.form === 'upn' || !this.config.netbiosDomain ? upnOf(logon) : `${this.config.netbiosDomain}\\${logon.name}`;
    return this.#run(async (client) => {
      try {
        await client.bind(bindName, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return null;
        throw error;
      }
      const entry = await this.#findEntry(client, logon);
      if (!entry) {
        this.log?.problem('a bind succeeded but the person was not found under SWITCHYARD_LDAP_BASE_DN');
        return null;
      }
      return this.#person(client, entry);
    });
  }

  async #lookup(accountName: string): Promise<DirectoryPerson | null> {
    if (accountName === '' || hasControlCharacter(accountName)) return null;
    return this.#lookupAs((client) => this.#searchOne(client, new EqualityFilter({ attribute: 'sAMAccountName', value: accountName })));
  }

  /** By the id #person gives: the user principal name, or "<sAMAccountName>@<the domain's DNS name>" for an account without one. */
  async #findById(id: string): Promise<DirectoryPerson | null> {
    if (id === '' || hasControlCharacter(id)) return null;
    const at = id.lastIndexOf('@');
    const implicit = at > 0 && id.slice(at + 1).toLowerCase() === this.config.upnSuffixes[0]?.toLowerCase() ? id.slice(0, at) : undefined;
    return this.#lookupAs(async (client) => {
      const byUpn = await this.#searchOne(client, new EqualityFilter({ attribute: 'userPrincipalName', value: id }));
      if (byUpn || implicit === undefined) return byUpn;
      const byName = await this.#searchOne(client, new EqualityFilter({ attribute: 'sAMAccountName', value: implicit }));
      // Only an account whose id really is the implicit one (no UPN of its own).
      return byName && text(byName.userPrincipalName) === undefined ? byName : undefined;
    });
  }

  /** Binds as the service account and reads the one person `find` finds, if usable. */
  async #lookupAs(find: (client: Client) => Promise<Entry | undefined>): Promise<DirectoryPerson | null> {
    const service = this.config.serviceAccount;
    if (!service) return null;
    const password = await service.password();
    return this.#run(async (client) => {
      try {
        await client.bind(service.bindName, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          throw new DirectoryUnavailable('the service account (SWITCHYARD_LDAP_SERVICE_ACCOUNT) could not bind: check its name and password');
        }
        throw error;
      }
      const entry = await find(client);
      if (!entry || !accountUsable(entry)) return null;
      return this.#person(client, entry);
    });
  }

  /** Runs one directory conversation; LDAP errors other than wrong credentials become a 503. */
  async #run<T>(work: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await onFirstReachable(this.config.transport, work, this.log);
    } catch (error) {
      if (error instanceof ResultCodeError) {
        const problem = `the directory refused the request: ${error.name} (LDAP result ${error.code})`;
        this.log?.problem(problem);
        throw new DirectoryUnavailable(problem);
      }
      throw error;
    }
  }

  async #findEntry(client: Client, logon: LogonName): Promise<Entry | undefined> {
    if (logon.form === 'upn') {
      const byUpn = await this.#searchOne(client, new EqualityFilter({ attribute: 'userPrincipalName', value: upnOf(logon) }));
      // "name@<the domain's DNS name>" is also the implicit UPN of every account, by sAMAccountName.
      if (byUpn || logon.suffix !== this.config.upnSuffixes[0]?.toLowerCase()) return byUpn;
    }
    return this.#searchOne(client, new EqualityFilter({ attribute: 'sAMAccountName', value: logon.name }));
  }

  /** The one person matching `match`; undefined when none or (a directory inconsistency) several. */
  async #searchOne(client: Client, match: Filter): Promise<Entry | undefined> {
    const { searchEntries } = await client.search(this.config.baseDn, {
      scope: 'sub',
      filter: new AndFilter({
        filters: [
          new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
          new NotFilter({ filter: new EqualityFilter({ attribute: 'objectClass', value: 'computer' }) }),
          match,
        ],
      }),
      attributes: USER_ATTRIBUTES,
      sizeLimit: 2,
    });
    if (searchEntries.length > 1) this.log?.problem('two directory entries match one sign-in name; refusing both');
    return searchEntries.length === 1 ? searchEntries[0] : undefined;
  }

  async #person(client: Client, entry: Entry): Promise<DirectoryPerson> {
    const accountName = text(entry.sAMAccountName) ?? '';
    const primarySuffix = this.config.upnSuffixes[0]?.toLowerCase() ?? '';
    return {
      id: text(entry.userPrincipalName) ?? `${accountName}@${primarySuffix}`,
      accountName,
      displayName: text(entry.displayName) ?? text(entry.cn) ?? accountName,
      groups: await this.#groupsOf(client, entry.dn),
    };
  }

  async #groupsOf(client: Client, personDn: string): Promise<string[]> {
    const membership =
      this.config.groups === 'ad-nested'
        ? new ExtensibleFilter({ matchType: 'member', rule: IN_CHAIN_RULE, value: personDn })
        : new EqualityFilter({ attribute: 'member', value: personDn });
    const { searchEntries } = await client.search(this.config.baseDn, {
      scope: 'sub',
      filter: new AndFilter({ filters: [new EqualityFilter({ attribute: 'objectClass', value: 'group' }), membership] }),
      attributes: ['cn'],
      paged: { pageSize: 500 },
    });
    return searchEntries.map((group) => group.dn);
  }
}

function accountUsable(entry: Entry): boolean {
  const control = Number(text(entry.userAccountControl) ?? '0');
  if (control & ACCOUNT_DISABLED) return false;
  const expires = text(entry.accountExpires);
  if (expires === undefined || NEVER_EXPIRES.has(expires)) return true;
  // 100-nanosecond intervals since 1601-01-01 (Windows FILETIME).
  const expiresAtMs = Number(BigInt(expires) / 10_000n) - 11_644_473_600_000;
  return expiresAtMs > Date.now();
}

function text(value: Entry[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
