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

/**
 * Who may ask for a pair, for how long, and who approves (eligibility.yaml). An eligible pair's role
 * exists like a standing one's; only a grant opens it, and only while the grant lasts.
 */
export interface Eligibility {
  group: string;
  permissionSet: string;
  accounts: AccountSelector;
  maxDurationSeconds: number;
  defaultDurationSeconds: number;
  justification: JustificationRule;
  approval: ApprovalRule;
  /** How long a request waits for its approvals before it expires. */
  pendingExpirySeconds: number;
  extensions: { count: number; durationSeconds: number };
  /** The entry's place, "eligibility.yaml entry 1": how messages and grants name the rule. */
  source: string;
}

export interface JustificationRule {
  required: boolean;
  /** A regular expression (JavaScript, Unicode flag) the justification must match. */
  pattern?: string;
  example?: string;
}

/** `none`: self-service, the grant starts at once. Otherwise `count` approvals, each by a different person, never the requester. */
export type ApprovalRule = { kind: 'none' } | { kind: 'approvers'; groups: string[]; count: number; distinctGroups: boolean };

export interface Policy {
  accounts: Account[];
  permissionSets: PermissionSet[];
  assignments: Assignment[];
  /** Pairs people may ask for (an empty list when the policy has no eligibility files). */
  eligibility: Eligibility[];
  /** Explicit permission to delete more than the guard's share of managed roles in one run. */
  allowMassDeletion?: boolean;
}
