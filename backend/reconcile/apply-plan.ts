/**
 * Carries out one account's plan with the fewest IAM writes: roles are updated in place field by
 * field, never deleted and re-created. A failing role is reported and the others still proceed.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { INLINE_POLICY_NAME, type AccountPlan, type ActualRole, type DesiredRole, type RoleUpdate } from '../../shared/plan/model.ts';
import { emptyAccountReport, type AccountReport } from '../../shared/plan/report.ts';
import { errorText } from '../../shared/error-text.ts';

export async function applyAccountPlan(iam: IAMClient, plan: AccountPlan, accountName?: string): Promise<AccountReport> {
  const report = emptyAccountReport(plan.accountId, accountName);
  report.conflicts = plan.conflicts;
  const attempt = async (roleName: string, work: () => Promise<void>, onDone: () => void) => {
    try {
      await work();
      onDone();
    } catch (error) {
      report.failed.push({ role: roleName, reason: errorText(error) });
    }
  };
  // Deletions first: a role renamed only in letter case frees its name for the new one.
  for (const { actual } of plan.deletes) {
    await attempt(
      actual.roleName,
      () => deleteRole(iam, actual),
      () => report.deleted.push(actual.roleName),
    );
  }
  for (const update of plan.updates) {
    const role = update.desired.roleName;
    await attempt(
      role,
      () => updateRole(iam, update),
      () => report.updated.push({ role, fields: update.changes.map((c) => c.field) }),
    );
  }
  for (const role of plan.creates) {
    await attempt(
      role.roleName,
      () => createRole(iam, role),
      () => report.created.push(role.roleName),
    );
  }
  return report;
}

async function createRole(iam: IAMClient, role: DesiredRole): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: role.roleName,
      Path: role.path,
      AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
      Description: role.description,
      MaxSessionDuration: role.maxSessionDuration,
      PermissionsBoundary: role.permissionsBoundaryArn,
      Tags: tagList(role.tags),
    }),
  );
  if (role.inlinePolicy) await putInline(iam, role.roleName, role.inlinePolicy);
  for (const arn of role.managedPolicyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: role.roleName, PolicyArn: arn }));
}

async function updateRole(iam: IAMClient, { desired, changes }: RoleUpdate): Promise<void> {
  const RoleName = desired.roleName;
  let settingsChanged = false;
  for (const change of changes) {
    switch (change.field) {
      case 'trustPolicy':
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(change.document) }));
        break;
      case 'managedPolicies':
        for (const arn of change.attach) await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: arn }));
        for (const arn of change.detach) await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: arn }));
        break;
      case 'inlinePolicy':
        if (change.put) await putInline(iam, RoleName, change.put);
        for (const name of change.remove) await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: name }));
        break;
      case 'permissionsBoundary':
        if (change.arn) await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: change.arn }));
        else await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName }));
        break;
      case 'tags':
        if (Object.keys(change.set).length > 0) await iam.send(new TagRoleCommand({ RoleName, Tags: tagList(change.set) }));
        if (change.remove.length > 0) await iam.send(new UntagRoleCommand({ RoleName, TagKeys: change.remove }));
        break;
      case 'description':
      case 'maxSessionDuration':
        settingsChanged = true;
        break;
    }
  }
  // One UpdateRole sets both; send both, since an omitted one may be reset (moto resets them).
  if (settingsChanged) {
    await iam.send(new UpdateRoleCommand({ RoleName, Description: desired.description ?? '', MaxSessionDuration: desired.maxSessionDuration }));
  }
}

/**
 * A managed role someone put into an instance profile is not deleted, and nothing of it is changed: IAM
 * authorizes taking a role out of a profile on the profile alone, with no condition naming the role, so
 * the access role is not granted it (docs/deploy.md). The admin takes it out; the next reconcile deletes it.
 */
class HeldByInstanceProfile extends Error {
  override readonly name = 'HeldByInstanceProfile';
  constructor(roleName: string, profiles: readonly string[]) {
    const names = profiles.join(', ');
    super(
      `the role is in instance profile ${names}, and Switchyard does not take roles out of instance profiles: run ` +
        profiles.map((profile) => `aws iam remove-role-from-instance-profile --instance-profile-name ${profile} --role-name ${roleName}`).join('; ') +
        ' in this account, and the next reconcile deletes the role',
    );
  }
}

async function deleteRole(iam: IAMClient, role: ActualRole): Promise<void> {
  const RoleName = role.roleName;
  if (role.instanceProfileNames.length > 0) throw new HeldByInstanceProfile(RoleName, role.instanceProfileNames);
  for (const arn of role.managedPolicyArns) await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: arn }));
  for (const name of Object.keys(role.inlinePolicies)) await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: name }));
  await iam.send(new DeleteRoleCommand({ RoleName }));
}

function putInline(iam: IAMClient, roleName: string, document: Record<string, unknown>) {
  return iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: INLINE_POLICY_NAME, PolicyDocument: JSON.stringify(document) }));
}

function tagList(tags: Record<string, string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
