/**
 * The validated policy: what the files in the policy bucket say, after parsing and checking.
 * Everything downstream (entitlements, desired roles, plans) works on this model only.
 */

export interface Account {
  /** Exactly 12 digits, kept as a string (IDs may start with 0). */
  id: string;
  name: string;
  color?: string;
  tags: Record<string, string>;
  regions: string[];
  /** Organizational unit path such as "/Root/Workloads/Prod", when known. */
  ouPath?: string;
}

export interface PermissionSet {
  name: string;
  description?: string;
  /** 3600..43200 */
  sessionDurationSeconds: number;
  managedPolicyArns: string[];
  /** Inline policy document (already loaded from its file), as a JSON object. */
  inlinePolicy?: Record<string, unknown>;
  permissionsBoundaryArn?: string;
  tags: Record<string, string>;
  /** The file says `cli: false`: the console only, never credentials for the terminal. */
  consoleOnly?: true;
}

export interface AccountSelector {
  ids?: string[];
  names?: string[];
  tags?: Record<string, string>;
  ouPaths?: string[];
  all?: boolean;
}

export interface Assignment {
  group: string;
  permissionSet: string;
  accounts: AccountSelector;
}

export interface Policy {
  accounts: Account[];
  permissionSets: PermissionSet[];
  assignments: Assignment[];
  /** Explicit permission to delete more than the guard's share of managed roles in one run. */
  allowMassDeletion?: boolean;
}
