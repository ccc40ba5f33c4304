/**
 * From what the planner found (each account's plan, the report, the new policy and the one last
 * applied) to the plan document (plan-document.ts): every attribute's old and new value, who gains
 * and who loses access, and each change once however many accounts it happens in. A change is "the
 * same" in two accounts when it is equal once each account's own id is written as {account} where a
 * value names the account (trust policies name their account; a policy ARN in the account does too).
 */
import { MANAGED_TAG_KEY, ROLE_NAME_PREFIX } from '../naming.ts';
import type { Policy } from '../policy/model.ts';
import { accessChanges, accessGrants, compareText, type AccessGrant } from './access-changes.ts';
import { pairKey } from '../policy/pair.ts';
import { INLINE_POLICY_NAME, type AccountPlan, type ActualRole, type DesiredRole, type RoleUpdate } from './model.ts';
import { peopleChanges, type GroupMember, type PersonAccessChange } from './people-changes.ts';
import type { AccessSection, AccountRef, FieldChange, GrantGroup, PersonChange, PlanDocument, RoleChangeGroup } from './plan-document.ts';
import { policyDiff } from './policy-diff.ts';
import type { ReconcileReport } from './report.ts';

/** What the new policy is compared with, for who gains and who loses access. */
export type AppliedPolicy = { kind: 'applied'; policy: Policy } | { kind: 'nothing-applied' } | { kind: 'unknown' };

export interface PlanFindings {
  /** The planner's report (problems, the deletion guard, failed accounts, conflicts). */
  report: ReconcileReport;
  /** Each account's plan (accounts that could not be read have none). */
  plans: readonly AccountPlan[];
  /** The new policy; undefined when the files are invalid. */
  policy?: Policy;
  applied: AppliedPolicy;
  /** With --people: each group an assignment names -> its members. */
  members?: ReadonlyMap<string, readonly GroupMember[]>;
  /** What went wrong around the plan (the applied policy or the directory could not be read): the plan is then an error. */
  errors?: readonly string[];
}

/** What stands for the account's own id in a change shown once for many accounts. */
export const ACCOUNT_PLACEHOLDER = '{account}';

export function buildPlanDocument(findings: PlanFindings): PlanDocument {
  const { report, plans, policy, applied } = findings;
  const names = accountNames(findings);
  const ref = (id: string): AccountRef => (names.get(id) ? { id, name: names.get(id) } : { id });
  const roles = groupRoleChanges(plans, ref);
  const access = policy ? accessSection(findings, policy, roles, ref) : emptyAccess(applied);
  const failedAccounts = report.accounts.filter((a) => a.error !== undefined).map((a) => ({ account: ref(a.accountId), error: a.error ?? '' }));
  const conflicts = plans.flatMap((plan) => plan.conflicts.map((c) => ({ account: ref(plan.accountId), role: c.roleName, reason: c.reason })));
  const errors = [...planErrors(report, failedAccounts), ...(findings.errors ?? [])];
  const count = (pick: (plan: AccountPlan) => number) => plans.reduce((sum, plan) => sum + pick(plan), 0);
  const grantCount = (groups: GrantGroup[]) => groups.reduce((sum, group) => sum + group.accounts.length, 0);
  const changed = roles.length > 0 || access.added.length > 0 || access.removed.length > 0;
  return {
    format: 'switchyard-plan',
    version: 1,
    outcome: errors.length > 0 ? 'error' : changed ? 'changes' : 'no-changes',
    errors,
    problems: report.problems.map(({ file, line, column, severity, message }) => ({ file, line, column, severity, message })),
    summary: {
      accounts: report.summary.accounts,
      create: count((plan) => plan.creates.length),
      update: count((plan) => plan.updates.length),
      delete: count((plan) => plan.deletes.length),
      conflicts: conflicts.length,
      failedAccounts: failedAccounts.length,
      accessAdded: grantCount(access.added),
      accessRemoved: grantCount(access.removed),
    },
    access,
    roles,
    conflicts,
    failedAccounts,
  };
}

function planErrors(report: ReconcileReport, failed: { account: AccountRef; error: string }[]): string[] {
  const errors: string[] = [];
  const problems = report.problems.filter((problem) => problem.severity === 'error').length;
  if (report.status === 'invalid') {
    errors.push(problems > 0 ? `the policy is invalid: ${problems} error${problems === 1 ? '' : 's'} in the files` : 'the policy is invalid');
  }
  if (report.deletionGuard && !report.deletionGuard.allowed) errors.push(`a push would be refused: ${report.deletionGuard.reason ?? ''}`);
  for (const { account, error } of failed) {
    errors.push(`account ${account.name ? `${account.name} (${account.id})` : account.id} could not be planned: ${error}`);
  }
  return errors;
}

function accountNames(findings: PlanFindings): Map<string, string> {
  const names = new Map<string, string>();
  if (findings.applied.kind === 'applied') for (const account of findings.applied.policy.accounts) names.set(account.id, account.name);
  for (const account of findings.report.accounts) if (account.accountName) names.set(account.accountId, account.accountName);
  for (const account of findings.policy?.accounts ?? []) names.set(account.id, account.name);
  return names;
}

// ---- roles ----------------------------------------------------------------------------------

function groupRoleChanges(plans: readonly AccountPlan[], ref: (id: string) => AccountRef): RoleChangeGroup[] {
  const groups = new Map<string, RoleChangeGroup>();
  const add = (accountId: string, action: RoleChangeGroup['action'], role: string, permissionSet: string, changes: FieldChange[]) => {
    const general = generalizer(accountId);
    const key = JSON.stringify([permissionSet, role, action, changes], (_key, value: unknown) =>
      typeof value === 'string' ? general(value) : value,
    );
    const group = groups.get(key) ?? { action, permissionSet, role, accounts: [], changes: withDiffs(generalize(changes, general)) };
    group.accounts.push(ref(accountId));
    groups.set(key, group);
  };
  for (const plan of plans) {
    for (const role of plan.creates) add(plan.accountId, 'create', role.roleName, role.permissionSet, createdFields(role));
    for (const update of plan.updates) add(plan.accountId, 'update', update.desired.roleName, update.desired.permissionSet, updatedFields(update));
    for (const { actual } of plan.deletes) add(plan.accountId, 'delete', actual.roleName, permissionSetOf(actual.roleName), deletedFields(actual));
  }
  const order = { create: 0, update: 1, delete: 2 };
  return [...groups.values()]
    .map((group) => ({ ...group, accounts: group.accounts.sort((a, b) => compareText(a.id, b.id)) }))
    .sort(
      (a, b) =>
        compareText(a.permissionSet, b.permissionSet) ||
        order[a.action] - order[b.action] ||
        b.accounts.length - a.accounts.length ||
        compareText(a.accounts[0]?.id ?? '', b.accounts[0]?.id ?? ''),
    );
}

function permissionSetOf(roleName: string): string {
  return roleName.startsWith(ROLE_NAME_PREFIX) ? roleName.slice(ROLE_NAME_PREFIX.length) : roleName;
}

/** The fields of a new role: what it will have (its trust policy is Switchyard's own, the same for every role, so not shown). */
function createdFields(role: DesiredRole): FieldChange[] {
  const fields: FieldChange[] = [{ field: 'sessionDuration', to: role.maxSessionDuration }];
  if (role.managedPolicyArns.length > 0) fields.push({ field: 'managedPolicies', added: [...role.managedPolicyArns], removed: [] });
  if (role.inlinePolicy) fields.push({ field: 'inlinePolicy', name: INLINE_POLICY_NAME, to: role.inlinePolicy, statements: [] });
  if (role.permissionsBoundaryArn) fields.push({ field: 'permissionsBoundary', to: role.permissionsBoundaryArn });
  if (role.description) fields.push({ field: 'description', to: role.description });
  const tags = withoutManagedTag(role.tags);
  if (Object.keys(tags).length > 0) fields.push({ field: 'tags', added: tags, removed: {}, changed: [] });
  return fields;
}

/** Everything a deleted role has, all of it lost. */
function deletedFields(role: ActualRole): FieldChange[] {
  const fields: FieldChange[] = [];
  if (role.settings) fields.push({ field: 'sessionDuration', from: role.settings.maxSessionDuration });
  if (role.managedPolicyArns.length > 0) fields.push({ field: 'managedPolicies', added: [], removed: [...role.managedPolicyArns] });
  for (const name of Object.keys(role.inlinePolicies).sort()) {
    fields.push({ field: 'inlinePolicy', name, from: role.inlinePolicies[name], statements: [] });
  }
  if (role.permissionsBoundaryArn) fields.push({ field: 'permissionsBoundary', from: role.permissionsBoundaryArn });
  if (role.settings?.description) fields.push({ field: 'description', from: role.settings.description });
  const tags = withoutManagedTag(role.tags);
  if (Object.keys(tags).length > 0) fields.push({ field: 'tags', added: {}, removed: tags, changed: [] });
  if (role.instanceProfileNames.length > 0) fields.push({ field: 'instanceProfiles', removed: [...role.instanceProfileNames].sort() });
  return fields;
}

function updatedFields({ actual, changes }: RoleUpdate): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const change of changes) {
    switch (change.field) {
      case 'maxSessionDuration':
        fields.push({ field: 'sessionDuration', from: change.from, to: change.to });
        break;
      case 'managedPolicies':
        fields.push({ field: 'managedPolicies', added: [...change.attach].sort(), removed: [...change.detach].sort() });
        break;
      case 'inlinePolicy':
        if (change.put) {
          fields.push({
            field: 'inlinePolicy',
            name: INLINE_POLICY_NAME,
            from: actual.inlinePolicies[INLINE_POLICY_NAME],
            to: change.put,
            statements: [],
          });
        }
        for (const name of [...change.remove].sort()) fields.push({ field: 'inlinePolicy', name, from: actual.inlinePolicies[name], statements: [] });
        break;
      case 'permissionsBoundary':
        fields.push({ field: 'permissionsBoundary', from: actual.permissionsBoundaryArn, to: change.arn });
        break;
      case 'trustPolicy':
        fields.push({ field: 'trustPolicy', from: actual.trustPolicy, to: change.document, statements: [] });
        break;
      case 'description':
        fields.push({ field: 'description', from: change.from, to: change.to });
        break;
      case 'tags': {
        const added: Record<string, string> = {};
        const changed: { key: string; from: string; to: string }[] = [];
        for (const key of Object.keys(change.set).sort()) {
          const to = change.set[key] ?? '';
          if (Object.hasOwn(actual.tags, key)) changed.push({ key, from: actual.tags[key] ?? '', to });
          else added[key] = to;
        }
        const removed = Object.fromEntries([...change.remove].sort().map((key) => [key, actual.tags[key] ?? '']));
        fields.push({ field: 'tags', added, removed, changed });
        break;
      }
    }
  }
  return sortFields(fields);
}

const FIELD_ORDER: FieldChange['field'][] = [
  'sessionDuration',
  'managedPolicies',
  'inlinePolicy',
  'permissionsBoundary',
  'trustPolicy',
  'description',
  'tags',
  'instanceProfiles',
];

function sortFields(fields: FieldChange[]): FieldChange[] {
  return fields.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

function withoutManagedTag(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(tags)
      .filter((key) => key !== MANAGED_TAG_KEY)
      .sort()
      .map((key) => [key, tags[key] ?? '']),
  );
}

/**
 * The account's own id written as {account} where a value names the account: the whole value, the
 * account field of an ARN, or the start of "<account>:<permission set>" (the trust policy's target
 * tag). Nowhere else: twelve digits inside another value (a UUID's last group) are not the account.
 */
function generalizer(accountId: string): (text: string) => string {
  const arn = new RegExp(`^(arn:[^:]*:[^:]*:[^:]*:)${accountId}(?=:|$)`);
  const target = new RegExp(`^${accountId}(?=:)`);
  return (text) => (text === accountId ? ACCOUNT_PLACEHOLDER : text.replace(arn, `$1${ACCOUNT_PLACEHOLDER}`).replace(target, ACCOUNT_PLACEHOLDER));
}

function generalize<T>(value: T, general: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return general(item);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return walk(value) as T;
}

/** Policy documents get their statement-by-statement diff once, after generalizing. */
function withDiffs(fields: FieldChange[]): FieldChange[] {
  return fields.map((field) =>
    field.field === 'inlinePolicy' || field.field === 'trustPolicy' ? { ...field, statements: policyDiff(field.from, field.to) } : field,
  );
}

// ---- access ---------------------------------------------------------------------------------

function emptyAccess(applied: AppliedPolicy): AccessSection {
  return { comparedWith: applied.kind, added: [], removed: [], changed: [] };
}

function accessSection(findings: PlanFindings, policy: Policy, roles: RoleChangeGroup[], ref: (id: string) => AccountRef): AccessSection {
  const { applied, members } = findings;
  if (applied.kind === 'unknown') return emptyAccess(applied);
  const before = applied.kind === 'applied' ? applied.policy : undefined;
  const changes = accessChanges(before, policy);
  const added = new Set(changes.added.map((grant) => `${grant.group}\u0000${pairKey(grant)}`));
  // Who keeps a permission set whose role changes in an account: the new policy's grants there, not counting new ones.
  const updated = new Set(
    roles
      .filter((role) => role.action === 'update')
      .flatMap((role) => role.accounts.map((a) => pairKey({ accountId: a.id, permissionSet: role.permissionSet }))),
  );
  const kept = accessGrants(policy).filter((grant) => updated.has(pairKey(grant)) && !added.has(`${grant.group}\u0000${pairKey(grant)}`));
  return {
    comparedWith: applied.kind,
    added: grantGroups(changes.added, ref),
    removed: grantGroups(changes.removed, ref),
    changed: grantGroups(kept, ref),
    ...(members ? { people: peopleSection(before, policy, members, ref) } : {}),
  };
}

function grantGroups(grants: AccessGrant[], ref: (id: string) => AccountRef): GrantGroup[] {
  const groups = new Map<string, GrantGroup>();
  for (const grant of grants) {
    const key = `${grant.permissionSet}\u0000${grant.group}`;
    const group = groups.get(key) ?? { group: grant.group, permissionSet: grant.permissionSet, accounts: [] };
    group.accounts.push(ref(grant.accountId));
    groups.set(key, group);
  }
  return [...groups.values()];
}

function peopleSection(
  before: Policy | undefined,
  after: Policy,
  members: ReadonlyMap<string, readonly GroupMember[]>,
  ref: (id: string) => AccountRef,
): NonNullable<AccessSection['people']> {
  const { gains, losses } = peopleChanges(before, after, members);
  return { gains: personGroups(gains, ref), losses: personGroups(losses, ref) };
}

function personGroups(changes: PersonAccessChange[], ref: (id: string) => AccountRef): PersonChange[] {
  const groups = new Map<string, PersonChange>();
  for (const change of changes) {
    const key = `${change.id}\u0000${change.permissionSet}\u0000${change.groups.join('\u0000')}`;
    const group = groups.get(key) ?? {
      id: change.id,
      displayName: change.displayName,
      permissionSet: change.permissionSet,
      accounts: [],
      groups: change.groups,
    };
    group.accounts.push(ref(change.accountId));
    groups.set(key, group);
  }
  return [...groups.values()];
}
