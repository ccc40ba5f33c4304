/**
 * Desired vs actual roles of one account -> the plan. Only roles under Switchyard's path with its
 * tag are ours: they are updated in place or deleted; any other role is never touched, and one
 * that holds a name we need is reported as a conflict.
 */
import { MANAGED_ROLE_PATH, MANAGED_TAG_KEY } from '../naming.ts';
import {
  INLINE_POLICY_NAME,
  type AccountPlan,
  type ActualRole,
  type DesiredRole,
  type RoleChange,
  type RoleConflict,
  type RoleDeletion,
  type RoleUpdate,
} from './model.ts';
import { samePolicyDocument } from '../iam/policy-document.ts';

export function isManagedRole(role: Pick<ActualRole, 'path' | 'tags'>): boolean {
  return role.path === MANAGED_ROLE_PATH && role.tags[MANAGED_TAG_KEY] === 'true';
}

export function planAccount(accountId: string, desired: DesiredRole[], actual: ActualRole[]): AccountPlan {
  const managed = new Map(actual.filter(isManagedRole).map((role) => [role.roleName, role]));
  // IAM role names are unique per account regardless of case and path.
  const anyByName = new Map(actual.map((role) => [role.roleName.toLowerCase(), role]));
  const creates: DesiredRole[] = [];
  const updates: RoleUpdate[] = [];
  const conflicts: RoleConflict[] = [];
  const wanted = new Set<string>();

  for (const role of desired) {
    wanted.add(role.roleName);
    const own = managed.get(role.roleName);
    if (own) {
      const changes = roleChanges(role, own);
      if (changes.length > 0) updates.push({ desired: role, actual: own, changes });
      continue;
    }
    const other = anyByName.get(role.roleName.toLowerCase());
    if (other && !isManagedRole(other)) {
      conflicts.push({
        roleName: role.roleName,
        reason: `a role named ${other.roleName} (path ${other.path}) exists without Switchyard's path and ${MANAGED_TAG_KEY} tag; it is left untouched`,
      });
      continue;
    }
    creates.push(role);
  }

  const deletes: RoleDeletion[] = [...managed.values()].filter((role) => !wanted.has(role.roleName)).map((role) => ({ actual: role }));
  return { accountId, creates, updates, deletes, conflicts, managedRoleCount: managed.size };
}

export function roleChanges(desired: DesiredRole, actual: ActualRole): RoleChange[] {
  const changes: RoleChange[] = [];
  if (!samePolicyDocument(desired.trustPolicy, actual.trustPolicy)) {
    changes.push({ field: 'trustPolicy', document: desired.trustPolicy });
  }

  const attach = desired.managedPolicyArns.filter((arn) => !actual.managedPolicyArns.includes(arn));
  const detach = actual.managedPolicyArns.filter((arn) => !desired.managedPolicyArns.includes(arn));
  if (attach.length > 0 || detach.length > 0) changes.push({ field: 'managedPolicies', attach, detach });

  const current = actual.inlinePolicies[INLINE_POLICY_NAME];
  const put = desired.inlinePolicy && !samePolicyDocument(desired.inlinePolicy, current) ? desired.inlinePolicy : undefined;
  const remove = Object.keys(actual.inlinePolicies).filter((name) => name !== INLINE_POLICY_NAME || !desired.inlinePolicy);
  if (put || remove.length > 0) changes.push({ field: 'inlinePolicy', put, remove });

  if ((desired.permissionsBoundaryArn ?? '') !== (actual.permissionsBoundaryArn ?? '')) {
    changes.push({ field: 'permissionsBoundary', arn: desired.permissionsBoundaryArn });
  }

  // Own keys only: a tag may be called "constructor" or "toString".
  const set = Object.fromEntries(
    Object.entries(desired.tags).filter(([key, value]) => !Object.hasOwn(actual.tags, key) || actual.tags[key] !== value),
  );
  // Keys under "aws:" belong to AWS and cannot be removed.
  const removeTags = Object.keys(actual.tags).filter((key) => !Object.hasOwn(desired.tags, key) && !key.startsWith('aws:'));
  if (Object.keys(set).length > 0 || removeTags.length > 0) changes.push({ field: 'tags', set, remove: removeTags });

  if (actual.settings) {
    const from = actual.settings.description;
    if ((from ?? '') !== (desired.description ?? '')) changes.push({ field: 'description', from, to: desired.description });
    if (actual.settings.maxSessionDuration !== desired.maxSessionDuration) {
      changes.push({ field: 'maxSessionDuration', from: actual.settings.maxSessionDuration, to: desired.maxSessionDuration });
    }
  }
  return changes;
}
