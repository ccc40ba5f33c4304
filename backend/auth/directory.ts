/** A source of people and their groups, signed in with user name and password: the embedded demo file, or LDAP (AD, Simple AD). */
import type { Person } from '../../shared/api/person.ts';

/**
 * A person as the directory has them: the `Person` the API answers with (`id` is the user principal name,
 * e.g. "alice@corp.example.com"; `groups` every group the directory has them in), plus the directory's own
 * handles on them. Those never reach an answer or the access token; the refresh token carries them, to find
 * the same person again and to tell whether the sign-in may go on.
 */
export interface DirectoryPerson extends Person {
  /** What `lookup` finds the person by later (the sAMAccountName for LDAP), without the password. */
  accountName: string;
  /**
   * The directory's own id of this account, never given to another one: AD's objectGUID, the embedded
   * file's `id`. An account deleted and created again under the same name has another one.
   */
  directoryId: string;
  /** What the directory says about the account's password and lockout, as of this read. */
  standing: AccountStanding;
}

export interface AccountStanding {
  /**
   * Changes whenever the password is set (AD: pwdLastSet; the embedded file: its hash); undefined when
   * the directory does not say. A session ends when it differs from the one at sign-in.
   */
  passwordVersion?: string;
  /** The password must be changed before the next sign-in (AD: pwdLastSet = 0). */
  mustChangePassword: boolean;
  /** The password is older than the domain allows (AD: msDS-User-Account-Control-Computed, UF_PASSWORD_EXPIRED). */
  passwordExpired: boolean;
  /** Too many wrong passwords (AD: msDS-User-Account-Control-Computed, UF_LOCKOUT). */
  lockedOut: boolean;
}

export interface Directory {
  /**
   * The person when the password is right, null when the user name or password is wrong (including a
   * name of another domain). Throws `DirectoryUnavailable` when the directory cannot answer.
   */
  authenticate(username: string, password: string): Promise<DirectoryPerson | null>;
  /**
   * The person as the directory has them now (groups read again), null when they are gone or disabled.
   * Absent when the directory cannot look people up without their password: sessions then end with the
   * access token. Throws `DirectoryUnavailable` when the directory cannot answer.
   */
  lookup?(accountName: string): Promise<DirectoryPerson | null>;
  /**
   * The `directoryId` of the account a typed sign-in name names ("alice", "CORP\alice", a UPN), without
   * the password; null when it names nobody. What failed sign-ins are counted by, so every spelling of one
   * person shares one count. Absent when the directory cannot look people up without their password.
   */
  resolve?(username: string): Promise<string | null>;
  /**
   * The person with this `id` (what the API knows a signed-in person by), as the directory has them now,
   * null when gone or disabled: an approver's groups are read with it when they approve. Absent, like
   * `lookup`, when the directory cannot look people up without their password.
   */
  findById?(id: string): Promise<DirectoryPerson | null>;
}

/** The directory (or the user pool) did not answer, or answered in a way that says it is misconfigured: a 503. */
export class DirectoryUnavailable extends Error {
  override readonly name = 'DirectoryUnavailable';
}
