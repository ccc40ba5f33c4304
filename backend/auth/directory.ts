/** A source of people and their groups, signed in with user name and password: the embedded demo file, or LDAP (AD, Simple AD). */
export interface DirectoryUser {
  /** Stable identifier, e.g. the user principal name "alice@corp.example.com". */
  id: string;
  /** What `lookup` finds the person by later (the sAMAccountName for LDAP), without the password. */
  accountName: string;
  displayName: string;
  /** Group names or DNs (matched against assignments by shared/policy/group-names.ts). */
  groups: string[];
}

export interface Directory {
  /**
   * The person when the password is right, null when the user name or password is wrong (including a
   * name of another domain). Throws `DirectoryUnavailable` when the directory cannot answer.
   */
  authenticate(username: string, password: string): Promise<DirectoryUser | null>;
  /**
   * The person as the directory has them now (groups read again), null when they are gone or disabled.
   * Absent when the directory cannot look people up without their password: sessions then end with the
   * access token. Throws `DirectoryUnavailable` when the directory cannot answer.
   */
  lookup?(accountName: string): Promise<DirectoryUser | null>;
}

/** The directory (or the user pool) did not answer, or answered in a way that says it is misconfigured: a 503. */
export class DirectoryUnavailable extends Error {
  override readonly name = 'DirectoryUnavailable';
}
