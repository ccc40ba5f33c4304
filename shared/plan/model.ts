/**
 * Plan model: the roles a policy wants, the roles an account has, and the changes between them.
 * Pure data; the reconciler reads and writes AWS, everything here is computed.
 */

import type { PolicyDocument } from '../iam/policy-document.ts';

export type { PolicyDocument } from '../iam/policy-document.ts';

/** Name of the one inline policy Switchyard puts on a managed role. */
export const INLINE_POLICY_NAME = 'switchyard-inline';

/** A role as the policy files want it in one account. */
export interface DesiredRole {
  accountId: string;
  permissionSet: string;
  roleName: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  managedPolicyArns: string[];
  inlinePolicy?: PolicyDocument;
  permissionsBoundaryArn?: string;
  /** Includes the managed tag. */
  tags: Record<string, string>;
}

/** A role as an account has it (every role is read, managed or not). */
export interface ActualRole {
  roleName: string;
  path: string;
  tags: Record<string, string>;
  trustPolicy?: PolicyDocument;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  permissionsBoundaryArn?: string;
  instanceProfileNames: string[];
  /**
   * Description and session length: GetAccountAuthorizationDetails does not return them, so they
   * are known only when the reader also listed the roles; undefined means "not read".
   */
  settings?: { description?: string; maxSessionDuration: number };
}

export type RoleChange =
  | { field: 'trustPolicy'; document: PolicyDocument }
  | { field: 'managedPolicies'; attach: string[]; detach: string[] }
  /** put: the inline policy to write (absent: none wanted); remove: inline policy names to delete. */
  | { field: 'inlinePolicy'; put?: PolicyDocument; remove: string[] }
  /** arn absent: remove the boundary. */
  | { field: 'permissionsBoundary'; arn?: string }
  | { field: 'tags'; set: Record<string, string>; remove: string[] }
  | { field: 'description'; from?: string; to?: string }
  | { field: 'maxSessionDuration'; from: number; to: number };

export type RoleField = RoleChange['field'];

export interface RoleUpdate {
  desired: DesiredRole;
  /** The role as the account has it: what a plan shows each change against. */
  actual: ActualRole;
  changes: RoleChange[];
}

export interface RoleDeletion {
  actual: ActualRole;
}

/** A role Switchyard wants but may not touch: same name, but not under our path with our tag. */
export interface RoleConflict {
  roleName: string;
  reason: string;
}

export interface AccountPlan {
  accountId: string;
  creates: DesiredRole[];
  updates: RoleUpdate[];
  deletes: RoleDeletion[];
  conflicts: RoleConflict[];
  /** Managed roles the account has now (the deletion guard's denominator). */
  managedRoleCount: number;
}

export function isEmptyPlan(plan: AccountPlan): boolean {
  return plan.creates.length === 0 && plan.updates.length === 0 && plan.deletes.length === 0;
}
