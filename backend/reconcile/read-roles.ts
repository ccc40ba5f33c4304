/**
 * An account's roles as they are: one paged GetAccountAuthorizationDetails (Filter: Role) for
 * everything but description and session length, which that call does not return; those come from
 * one paged ListRoles under Switchyard's path, only when the account has roles there.
 */
import { GetAccountAuthorizationDetailsCommand, ListRolesCommand, type IAMClient, type RoleDetail } from '@aws-sdk/client-iam';
import { MANAGED_ROLE_PATH } from '../../shared/naming.ts';
import { isManagedRole } from '../../shared/plan/diff.ts';
import type { ActualRole, PolicyDocument } from '../../shared/plan/model.ts';
import { decodePolicyDocument } from '../../shared/iam/policy-document.ts';

export interface ReadOptions {
  /** Also read description and session length (one ListRoles call); default true. */
  readRoleSettings?: boolean;
}

export async function readAccountRoles(iam: IAMClient, options: ReadOptions = {}): Promise<ActualRole[]> {
  const roles: ActualRole[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], Marker: marker }));
    for (const detail of page.RoleDetailList ?? []) roles.push(actualRole(detail));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  const managed = roles.filter(isManagedRole);
  if ((options.readRoleSettings ?? true) && managed.length > 0) {
    const settings = await readRoleSettings(iam);
    for (const role of managed) role.settings = settings.get(role.roleName);
  }
  return roles;
}

async function readRoleSettings(iam: IAMClient): Promise<Map<string, NonNullable<ActualRole['settings']>>> {
  const settings = new Map<string, NonNullable<ActualRole['settings']>>();
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ PathPrefix: MANAGED_ROLE_PATH, Marker: marker }));
    for (const role of page.Roles ?? []) {
      if (role.RoleName && role.Path === MANAGED_ROLE_PATH) {
        settings.set(role.RoleName, { description: role.Description, maxSessionDuration: role.MaxSessionDuration ?? 3600 });
      }
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return settings;
}

function actualRole(detail: RoleDetail): ActualRole {
  const tags = Object.fromEntries((detail.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const role: ActualRole = {
    roleName: detail.RoleName ?? '',
    path: detail.Path ?? '/',
    tags,
    managedPolicyArns: (detail.AttachedManagedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])).sort(),
    inlinePolicies: {},
    permissionsBoundaryArn: detail.PermissionsBoundary?.PermissionsBoundaryArn,
    instanceProfileNames: (detail.InstanceProfileList ?? []).flatMap((p) => (p.InstanceProfileName ? [p.InstanceProfileName] : [])),
  };
  // Documents of roles that are not ours are never compared; do not let them fail the read.
  if (!isManagedRole(role)) return role;
  role.trustPolicy = detail.AssumeRolePolicyDocument ? decodeOrUndefined(detail.AssumeRolePolicyDocument) : undefined;
  for (const inline of detail.RolePolicyList ?? []) {
    if (inline.PolicyName) role.inlinePolicies[inline.PolicyName] = decodeOrUndefined(inline.PolicyDocument ?? '') ?? {};
  }
  return role;
}

/** An unreadable document compares unequal to any wanted one, so it gets rewritten. */
function decodeOrUndefined(raw: string): PolicyDocument | undefined {
  try {
    return decodePolicyDocument(raw);
  } catch {
    return undefined;
  }
}
