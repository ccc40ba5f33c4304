/** A source of people and their groups: the embedded demo file, LDAP (AD / Simple AD), Cognito. */
export interface DirectoryUser {
  /** Stable identifier, e.g. the user principal name "alice@corp.example.com". */
  id: string;
  displayName: string;
  groups: string[];
}

export interface Directory {
  /** Returns the person when the password is right, null when the username or password is wrong. */
  authenticate(username: string, password: string): Promise<DirectoryUser | null>;
}

/**
 * Accepts "alice", "alice@corp.example.com" and "CORP\alice" and returns the bare account name in
 * lower case, which is how AD compares sAMAccountName.
 */
export function accountNameOf(username: string): string {
  const trimmed = username.trim();
  const afterBackslash = trimmed.includes('\\') ? trimmed.slice(trimmed.lastIndexOf('\\') + 1) : trimmed;
  const beforeAt = afterBackslash.includes('@') ? afterBackslash.slice(0, afterBackslash.indexOf('@')) : afterBackslash;
  return beforeAt.toLowerCase();
}
