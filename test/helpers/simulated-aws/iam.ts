/**
 * IAM in memory, one role store per member account, for the operations the reconciler sends: roles
 * and their inline and managed policies, boundaries, tags and settings, read back through the paged
 * GetAccountAuthorizationDetails and ListRoles. Answers and errors are IAM's (NoSuchEntity,
 * EntityAlreadyExists, DeleteConflict, LimitExceeded), documents come back URL-encoded as IAM sends them.
 */
import { randomBytes } from 'node:crypto';
import { IAM_DEFAULT_MAX_ITEMS, IAM_MANAGED_POLICIES_PER_ROLE, IAM_MAX_ITEMS, IAM_ROLES_PER_ACCOUNT } from './quotas.ts';
import { el, members, memberList, memberRecords, pagePosition, pageToken, queryAnswer, queryError, type Answer, type QueryParams } from './wire.ts';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface SimulatedRole {
  roleName: string;
  path: string;
  roleId: string;
  createDate: string;
  /** As sent (JSON text). */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Map<string, string>;
  inlinePolicies: Map<string, string>;
  attachedPolicyArns: string[];
  instanceProfileNames: string[];
}

export interface RoleSeed {
  roleName: string;
  path?: string;
  trustPolicy?: unknown;
  inlinePolicies?: Record<string, unknown>;
  attachedPolicyArns?: string[];
}

const CREATED = '2024-01-01T00:00:00Z';

export class SimulatedIam {
  private readonly accounts = new Map<string, Map<string, SimulatedRole>>();

  constructor(private readonly partition = 'aws') {}

  /** Adds a role as an admin or AWS would have made it (the access role, service-linked roles). */
  seed(accountId: string, seed: RoleSeed): void {
    const roles = this.rolesOf(accountId);
    roles.set(seed.roleName.toLowerCase(), {
      roleName: seed.roleName,
      path: seed.path ?? '/',
      roleId: roleId(),
      createDate: CREATED,
      trustPolicy: JSON.stringify(seed.trustPolicy ?? { Version: '2012-10-17', Statement: [] }),
      maxSessionDuration: 3600,
      tags: new Map(),
      inlinePolicies: new Map(Object.entries(seed.inlinePolicies ?? {}).map(([name, document]) => [name, JSON.stringify(document)])),
      attachedPolicyArns: [...(seed.attachedPolicyArns ?? [])],
      instanceProfileNames: [],
    });
  }

  role(accountId: string, roleName: string): SimulatedRole | undefined {
    return this.accounts.get(accountId)?.get(roleName.toLowerCase());
  }

  roleCount(accountId?: string): number {
    if (accountId !== undefined) return this.accounts.get(accountId)?.size ?? 0;
    let total = 0;
    for (const roles of this.accounts.values()) total += roles.size;
    return total;
  }

  handle(accountId: string, action: string, params: QueryParams): Answer {
    const roles = this.rolesOf(accountId);
    const found = (): SimulatedRole | Answer => {
      const name = params.get('RoleName') ?? '';
      return roles.get(name.toLowerCase()) ?? noSuchEntity(`The role with name ${name} cannot be found.`);
    };
    switch (action) {
      case 'GetAccountAuthorizationDetails':
        return this.authorizationDetails(accountId, roles, params);
      case 'ListRoles':
        return this.listRoles(accountId, roles, params);
      case 'CreateRole':
        return this.createRole(accountId, roles, params);
      case 'DeleteRole': {
        const role = found();
        if (!isRole(role)) return role;
        if (role.inlinePolicies.size > 0 || role.attachedPolicyArns.length > 0 || role.instanceProfileNames.length > 0) {
          return queryError(IAM_NAMESPACE, 409, 'DeleteConflict', 'Cannot delete entity, must remove policies and instance profiles first.');
        }
        roles.delete(role.roleName.toLowerCase());
        return queryAnswer(IAM_NAMESPACE, action);
      }
      case 'PutRolePolicy':
      case 'DeleteRolePolicy':
      case 'AttachRolePolicy':
      case 'DetachRolePolicy':
      case 'PutRolePermissionsBoundary':
      case 'DeleteRolePermissionsBoundary':
      case 'TagRole':
      case 'UntagRole':
      case 'UpdateAssumeRolePolicy':
      case 'UpdateRole':
      case 'RemoveRoleFromInstanceProfile': {
        const role = found();
        return isRole(role) ? change(role, action, params) : role;
      }
      default:
        return queryError(IAM_NAMESPACE, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  private rolesOf(accountId: string): Map<string, SimulatedRole> {
    let roles = this.accounts.get(accountId);
    if (!roles) {
      roles = new Map();
      this.accounts.set(accountId, roles);
    }
    return roles;
  }

  private createRole(accountId: string, roles: Map<string, SimulatedRole>, params: QueryParams): Answer {
    const roleName = params.get('RoleName') ?? '';
    if (roles.has(roleName.toLowerCase())) return queryError(IAM_NAMESPACE, 409, 'EntityAlreadyExists', `Role with name ${roleName} already exists.`);
    if (roles.size >= IAM_ROLES_PER_ACCOUNT) {
      return queryError(IAM_NAMESPACE, 409, 'LimitExceeded', `Cannot exceed quota for RolesPerAccount: ${IAM_ROLES_PER_ACCOUNT}`);
    }
    const role: SimulatedRole = {
      roleName,
      path: params.get('Path') ?? '/',
      roleId: roleId(),
      createDate: new Date().toISOString(),
      trustPolicy: params.get('AssumeRolePolicyDocument') ?? '',
      ...(params.has('Description') ? { description: params.get('Description') ?? '' } : {}),
      maxSessionDuration: Number(params.get('MaxSessionDuration') ?? 3600),
      ...(params.get('PermissionsBoundary') ? { permissionsBoundaryArn: params.get('PermissionsBoundary') ?? '' } : {}),
      tags: new Map(memberRecords(params, 'Tags', ['Key', 'Value']).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
      inlinePolicies: new Map(),
      attachedPolicyArns: [],
      instanceProfileNames: [],
    };
    roles.set(roleName.toLowerCase(), role);
    return queryAnswer(IAM_NAMESPACE, 'CreateRole', `<Role>${roleFields(role, accountId, this.partition)}</Role>`);
  }

  private authorizationDetails(accountId: string, roles: Map<string, SimulatedRole>, params: QueryParams): Answer {
    const filter = memberList(params, 'Filter');
    const listed = filter.length === 0 || filter.includes('Role') ? [...roles.values()] : [];
    const page = paged(`gaad:${accountId}:${filter.join(',')}`, listed, params);
    if ('status' in page) return page;
    const details = page.items.map((role) => {
      const inline = [...role.inlinePolicies].map(([name, document]) => el('PolicyName', name) + el('PolicyDocument', encodeURIComponent(document)));
      const attached = role.attachedPolicyArns.map((arn) => el('PolicyName', arn.slice(arn.lastIndexOf('/') + 1)) + el('PolicyArn', arn));
      return (
        roleFields(role, accountId, this.partition, { encodeTrustPolicy: true, settings: false }) +
        members(
          'InstanceProfileList',
          role.instanceProfileNames.map((name) => el('InstanceProfileName', name)),
        ) +
        members('RolePolicyList', inline) +
        members('AttachedManagedPolicies', attached)
      );
    });
    return queryAnswer(
      IAM_NAMESPACE,
      'GetAccountAuthorizationDetails',
      '<UserDetailList/><GroupDetailList/><Policies/>' + members('RoleDetailList', details) + page.tail,
    );
  }

  private listRoles(accountId: string, roles: Map<string, SimulatedRole>, params: QueryParams): Answer {
    const prefix = params.get('PathPrefix') ?? '/';
    const listed = [...roles.values()].filter((role) => role.path.startsWith(prefix));
    const page = paged(`roles:${accountId}:${prefix}`, listed, params);
    if ('status' in page) return page;
    const items = page.items.map((role) => roleFields(role, accountId, this.partition, { encodeTrustPolicy: true }));
    return queryAnswer(IAM_NAMESPACE, 'ListRoles', members('Roles', items) + page.tail);
  }
}

function change(role: SimulatedRole, action: string, params: QueryParams): Answer {
  switch (action) {
    case 'PutRolePolicy':
      role.inlinePolicies.set(params.get('PolicyName') ?? '', params.get('PolicyDocument') ?? '');
      break;
    case 'DeleteRolePolicy': {
      const name = params.get('PolicyName') ?? '';
      if (!role.inlinePolicies.delete(name)) return noSuchEntity(`The role policy with name ${name} cannot be found.`);
      break;
    }
    case 'AttachRolePolicy': {
      const arn = params.get('PolicyArn') ?? '';
      if (role.attachedPolicyArns.includes(arn)) break;
      if (role.attachedPolicyArns.length >= IAM_MANAGED_POLICIES_PER_ROLE) {
        return queryError(IAM_NAMESPACE, 409, 'LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${IAM_MANAGED_POLICIES_PER_ROLE}`);
      }
      role.attachedPolicyArns.push(arn);
      break;
    }
    case 'DetachRolePolicy': {
      const arn = params.get('PolicyArn') ?? '';
      const at = role.attachedPolicyArns.indexOf(arn);
      if (at < 0) return noSuchEntity(`Policy ${arn} was not found.`);
      role.attachedPolicyArns.splice(at, 1);
      break;
    }
    case 'PutRolePermissionsBoundary':
      role.permissionsBoundaryArn = params.get('PermissionsBoundary') ?? '';
      break;
    case 'DeleteRolePermissionsBoundary':
      delete role.permissionsBoundaryArn;
      break;
    case 'TagRole':
      for (const tag of memberRecords(params, 'Tags', ['Key', 'Value'])) role.tags.set(tag.Key ?? '', tag.Value ?? '');
      break;
    case 'UntagRole':
      for (const key of memberList(params, 'TagKeys')) role.tags.delete(key);
      break;
    case 'UpdateAssumeRolePolicy':
      role.trustPolicy = params.get('PolicyDocument') ?? '';
      break;
    case 'UpdateRole':
      // IAM leaves a field that is not sent as it was.
      if (params.has('Description')) role.description = params.get('Description') ?? '';
      if (params.has('MaxSessionDuration')) role.maxSessionDuration = Number(params.get('MaxSessionDuration'));
      break;
    case 'RemoveRoleFromInstanceProfile': {
      const name = params.get('InstanceProfileName') ?? '';
      role.instanceProfileNames = role.instanceProfileNames.filter((profile) => profile !== name);
      break;
    }
  }
  return queryAnswer(IAM_NAMESPACE, action);
}

/** One page of a listing by Marker and MaxItems, with IsTruncated and the next Marker; InvalidInput for a marker of another listing. */
function paged<T>(listing: string, items: T[], params: QueryParams): { items: T[]; tail: string } | Answer {
  const position = pagePosition(listing, params.get('Marker'));
  if (position === 'invalid') return queryError(IAM_NAMESPACE, 400, 'InvalidInput', 'Invalid Marker.');
  const maxItems = Math.min(IAM_MAX_ITEMS, Math.max(1, Number(params.get('MaxItems') ?? IAM_DEFAULT_MAX_ITEMS)));
  const page = items.slice(position, position + maxItems);
  const next = position + page.length;
  const truncated = next < items.length;
  return { items: page, tail: el('IsTruncated', truncated) + (truncated ? el('Marker', pageToken(listing, next)) : '') };
}

/** A role's fields; GetAccountAuthorizationDetails leaves out description and session length (`settings: false`). */
function roleFields(
  role: SimulatedRole,
  accountId: string,
  partition: string,
  options: { encodeTrustPolicy?: boolean; settings?: boolean } = {},
): string {
  const settings = options.settings ?? true;
  const tags = [...role.tags].map(([key, value]) => el('Key', key) + el('Value', value));
  return (
    el('Path', role.path) +
    el('RoleName', role.roleName) +
    el('RoleId', role.roleId) +
    el('Arn', `arn:${partition}:iam::${accountId}:role${role.path}${role.roleName}`) +
    el('CreateDate', role.createDate) +
    el('AssumeRolePolicyDocument', options.encodeTrustPolicy ? encodeURIComponent(role.trustPolicy) : role.trustPolicy) +
    (settings ? el('Description', role.description) + el('MaxSessionDuration', role.maxSessionDuration) : '') +
    (role.permissionsBoundaryArn
      ? `<PermissionsBoundary>${el('PermissionsBoundaryType', 'Policy')}${el('PermissionsBoundaryArn', role.permissionsBoundaryArn)}</PermissionsBoundary>`
      : '') +
    (tags.length > 0 ? members('Tags', tags) : '')
  );
}

function noSuchEntity(message: string): Answer {
  return queryError(IAM_NAMESPACE, 404, 'NoSuchEntity', message);
}

function isRole(value: SimulatedRole | Answer): value is SimulatedRole {
  return 'roleName' in value;
}

function roleId(): string {
  return `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
}
