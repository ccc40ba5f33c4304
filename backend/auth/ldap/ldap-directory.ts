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
 * finds them by account name, refuses disabled or expired accounts and reads their groups. Each read
 * also takes what a session is bound to and bounded by: the account's objectGUID (never reused for
 * another account), pwdLastSet, and msDS-User-Account-Control-Computed, the attribute AD and Samba
 * construct with the lockout and password-expiry bits (lockoutTime alone does not say whether the
 * lockout duration has passed; the computed attribute does). The service account also resolves a typed
 * sign-in name to the account's objectGUID before the bind, so failed sign-ins count per person.
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
import { DirectoryUnavailable, type AccountStanding, type Directory, type DirectoryPerson } from '../directory.ts';
import { hasControlCharacter, parseLogonName, upnOf, type LogonName, type LogonNameRules } from '../logon-name.ts';
import { bindAsServiceAccount, onFirstReachable, type AttemptLog, type LdapServiceAccount, type LdapTransport } from './ldap-connection.ts';

export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';
const ACCOUNT_DISABLED = 0x2;
/** msDS-User-Account-Control-Computed bits: locked out now (UF_LOCKOUT), and the password has expired (UF_PASSWORD_EXPIRED). */
const LOCKED_OUT = 0x10;
const PASSWORD_EXPIRED = 0x80_0000;
const COMPUTED_CONTROL = 'msDS-User-Account-Control-Computed';
/** accountExpires values that mean "never" (0 and the largest 64-bit integer). */
const NEVER_EXPIRES = new Set(['0', '9223372036854775807']);
const USER_ATTRIBUTES = [
  'sAMAccountName',
  'userPrincipalName',
  'displayName',
  'cn',
  'userAccountControl',
  'accountExpires',
  'objectGUID',
  'pwdLastSet',
  COMPUTED_CONTROL,
];

export interface LdapDirectoryConfig extends LogonNameRules {
  transport: LdapTransport;
  /** Where people and groups are searched, e.g. "DC=corp,DC=example,DC=com". */
  baseDn: string;
  groups: 'ad-nested' | 'member';
  /** Read-only account for looking people up again; without it, sessions cannot be refreshed. */
  serviceAccount?: LdapServiceAccount;
}

export interface LdapDirectoryLog extends AttemptLog {
  /** Something the operator must fix (an LDAP error other than wrong credentials); no user data. */
  problem(message: string): void;
}

export class LdapDirectory implements Directory {
  readonly lookup?: (accountName: string) => Promise<DirectoryPerson | null>;
  readonly resolve?: (username: string) => Promise<string | null>;
  readonly findById?: (id: string) => Promise<DirectoryPerson | null>;

  constructor(
    private readonly config: LdapDirectoryConfig,
    private readonly log?: LdapDirectoryLog,
  ) {
    if (config.serviceAccount) {
      this.lookup = (accountName) => this.#lookup(accountName);
      this.resolve = (username) => this.#resolve(username);
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
    return this.#asService(async (client) => {
      const entry = await this.#searchOne(client, new EqualityFilter({ attribute: 'sAMAccountName', value: accountName }));
      if (!entry || !accountUsable(entry)) return null;
      return this.#person(client, entry);
    });
  }

  async #resolve(username: string): Promise<string | null> {
    const logon = parseLogonName(username, this.config);
    if (!logon) return null;
    return this.#asService(async (client) => {
      const entry = await this.#findEntry(client, logon);
      return (entry && guidOf(entry)) ?? null;
    });
  }

  /** By the id #person gives: the user principal name, or "<sAMAccountName>@<the domain's DNS name>" for an account without one. */
  async #findById(id: string): Promise<DirectoryPerson | null> {
    if (id === '' || hasControlCharacter(id)) return null;
    const at = id.lastIndexOf('@');
    const implicit = at > 0 && id.slice(at + 1).toLowerCase() === this.config.upnSuffixes[0]?.toLowerCase() ? id.slice(0, at) : undefined;
    return this.#asService(async (client) => {
      let entry = await this.#searchOne(client, new EqualityFilter({ attribute: 'userPrincipalName', value: id }));
      if (!entry && implicit !== undefined) {
        const byName = await this.#searchOne(client, new EqualityFilter({ attribute: 'sAMAccountName', value: implicit }));
        // Only an account whose id really is the implicit one (no UPN of its own).
        entry = byName && text(byName.userPrincipalName) === undefined ? byName : undefined;
      }
      if (!entry || !accountUsable(entry)) return null;
      return this.#person(client, entry);
    });
  }

  /** Runs `work` bound as the service account. */
  async #asService<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const service = this.config.serviceAccount;
    if (!service) throw new DirectoryUnavailable('no service account (SWITCHYARD_LDAP_SERVICE_ACCOUNT) is configured');
    const password = await service.password();
    return this.#run(async (client) => {
      await bindAsServiceAccount(client, service, password);
      return work(client);
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
      explicitBufferAttributes: ['objectGUID'],
      sizeLimit: 2,
    });
    if (searchEntries.length > 1) this.log?.problem('two directory entries match one sign-in name; refusing both');
    return searchEntries.length === 1 ? searchEntries[0] : undefined;
  }

  /** The person of an entry; null (and a problem logged) when the entry has no objectGUID, so no session could be bound to it. */
  async #person(client: Client, entry: Entry): Promise<DirectoryPerson | null> {
    const directoryId = guidOf(entry);
    if (!directoryId) {
      this.log?.problem('a directory entry has no objectGUID: sessions cannot be bound to it (is this Active Directory?)');
      return null;
    }
    const accountName = text(entry.sAMAccountName) ?? '';
    const primarySuffix = this.config.upnSuffixes[0]?.toLowerCase() ?? '';
    return {
      id: text(entry.userPrincipalName) ?? `${accountName}@${primarySuffix}`,
      accountName,
      directoryId,
      displayName: text(entry.displayName) ?? text(entry.cn) ?? accountName,
      groups: await this.#groupsOf(client, entry.dn),
      standing: standingOf(entry),
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

/** False for a disabled or expired account: it cannot sign in. */
export function accountUsable(entry: Entry): boolean {
  const control = Number(text(entry.userAccountControl) ?? '0');
  if (control & ACCOUNT_DISABLED) return false;
  const expires = text(entry.accountExpires);
  if (expires === undefined || NEVER_EXPIRES.has(expires)) return true;
  // 100-nanosecond intervals since 1601-01-01 (Windows FILETIME).
  const expiresAtMs = Number(BigInt(expires) / 10_000n) - 11_644_473_600_000;
  return expiresAtMs > Date.now();
}

/**
 * The account's password and lockout facts. pwdLastSet is kept as AD writes it (a FILETIME; "0" means
 * the password must be changed). A directory that does not construct msDS-User-Account-Control-Computed
 * (anything but AD and Samba) reports neither lockout nor expiry.
 */
function standingOf(entry: Entry): AccountStanding {
  const pwdLastSet = text(entry.pwdLastSet);
  const computed = Number(text(entry[COMPUTED_CONTROL]) ?? '0');
  return {
    ...(pwdLastSet !== undefined ? { passwordVersion: pwdLastSet } : {}),
    mustChangePassword: pwdLastSet === '0',
    passwordExpired: (computed & PASSWORD_EXPIRED) !== 0,
    lockedOut: (computed & LOCKED_OUT) !== 0,
  };
}

/** objectGUID in AD's own text form: the first three fields little-endian ("c12498be-b4d4-4ba5-b3b5-cbc103e5104b"). */
function guidOf(entry: Entry): string | undefined {
  const value = Array.isArray(entry.objectGUID) ? entry.objectGUID[0] : entry.objectGUID;
  if (!Buffer.isBuffer(value) || value.length !== 16) return undefined;
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = value.subarray(from, to);
    return Buffer.from(reverse ? [...part].reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

function text(value: Entry[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
