/** The words both renderings of a plan (plan-text.ts, plan-markdown.ts) use, so they say the same things the same way. */
import type { AccountRef, FieldChange, PlanDocument, RoleChangeGroup } from './plan-document.ts';

/** Accounts named in full before "and N more" (unless verbose). */
export const ACCOUNTS_SHOWN = 10;

/** "1 h", "4 h", "1 h 30 min", "45 min", "1 h 0 min 30 s". */
export function sessionLength(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours > 0 ? `${hours} h` : '', minutes > 0 || (rest > 0 && hours > 0) ? `${minutes} min` : '', rest > 0 ? `${rest} s` : ''];
  return parts.filter(Boolean).join(' ') || '0 s';
}

export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`;
}

export function accountLabel(account: AccountRef): string {
  return account.name ? `${account.name} (${account.id})` : account.id;
}

/** "prod (222222222222)" or "3 accounts: a (1), b (2), c (3)", shortened after ACCOUNTS_SHOWN unless verbose. */
export function accountsText(accounts: readonly AccountRef[], verbose: boolean, label: (account: AccountRef) => string = accountLabel): string {
  const [only] = accounts;
  if (accounts.length === 1 && only) return label(only);
  const shown = verbose ? accounts : accounts.slice(0, ACCOUNTS_SHOWN);
  const more = accounts.length - shown.length;
  return `${counted(accounts.length, 'account')}: ${shown.map(label).join(', ')}${more > 0 ? `, and ${more.toLocaleString('en-US')} more (--verbose lists each)` : ''}`;
}

export const ACTION_WORDS: Record<RoleChangeGroup['action'], { sign: string; verb: string }> = {
  create: { sign: '+', verb: 'create' },
  update: { sign: '~', verb: 'update' },
  delete: { sign: '-', verb: 'delete' },
};

export const FIELD_NAMES: Record<FieldChange['field'], string> = {
  sessionDuration: 'session length',
  managedPolicies: 'managed policies',
  inlinePolicy: 'inline policy',
  permissionsBoundary: 'permissions boundary',
  trustPolicy: 'trust policy',
  description: 'description',
  tags: 'tags',
  instanceProfiles: 'instance profiles',
};

export function comparedWithText(comparedWith: PlanDocument['access']['comparedWith']): string {
  switch (comparedWith) {
    case 'applied':
      return 'compared with the policy last applied';
    case 'nothing-applied':
      return 'no policy has been applied yet: every grant is new';
    case 'unknown':
      return 'not known: set SWITCHYARD_POLICY_BUCKET so the plan can read the policy last applied';
  }
}

/** The plan's one-line summary, as terraform ends a plan. */
export function summaryLine(plan: PlanDocument): string {
  const s = plan.summary;
  const roles = `${counted(s.create, 'role')} to create, ${s.update.toLocaleString('en-US')} to update, ${s.delete.toLocaleString('en-US')} to delete`;
  const access =
    plan.access.comparedWith === 'unknown'
      ? 'access changes not known'
      : `access: ${counted(s.accessAdded, 'grant')} added, ${s.accessRemoved.toLocaleString('en-US')} removed`;
  const outcome = plan.outcome === 'no-changes' ? 'No changes' : plan.outcome === 'changes' ? 'Plan' : 'Plan failed';
  const trouble = [s.conflicts > 0 ? counted(s.conflicts, 'conflict') : '', s.failedAccounts > 0 ? counted(s.failedAccounts, 'failed account') : '']
    .filter(Boolean)
    .join(', ');
  return `${outcome}: ${roles} in ${counted(s.accounts, 'account')}; ${access}${trouble ? `; ${trouble}` : ''}.`;
}

/** True when some change names {account}: the renderings then say what it stands for. */
export function usesAccountPlaceholder(plan: PlanDocument): boolean {
  return JSON.stringify(plan.roles).includes('{account}');
}

/** A tag list as "key=value, key=value". */
export function tagsText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}
