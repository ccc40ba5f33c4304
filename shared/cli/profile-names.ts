/**
 * The names `switchyard configure` gives the AWS CLI profiles it writes: a template over an entitlement,
 * `<account-name>/<permission-set>` by default. Characters a profile name should not hold (white space,
 * brackets, quotes) become `-`, so every name can be typed after `--profile` unquoted.
 */
export const DEFAULT_PROFILE_NAME_TEMPLATE = '<account-name>/<permission-set>';

const PLACEHOLDERS = ['<account-name>', '<account-id>', '<permission-set>'] as const;

export interface ProfileNameParts {
  accountName: string;
  accountId: string;
  permissionSet: string;
}

/** Why a template cannot be used, or undefined when it can. */
export function templateProblem(template: string): string | undefined {
  const unknown = template.match(/<[^>]*>/g)?.filter((part) => !(PLACEHOLDERS as readonly string[]).includes(part));
  if (unknown && unknown.length > 0) return `${unknown.join(', ')} is not a placeholder; use ${PLACEHOLDERS.join(', ')}`;
  if (!template.includes('<account-name>') && !template.includes('<account-id>')) return 'it must name the account: <account-name> or <account-id>';
  if (!template.includes('<permission-set>')) return 'it must name the permission set: <permission-set>';
  return undefined;
}

export function profileName(template: string, parts: ProfileNameParts): string {
  const filled = template
    .replaceAll('<account-name>', parts.accountName)
    .replaceAll('<account-id>', parts.accountId)
    .replaceAll('<permission-set>', parts.permissionSet);
  return filled.replace(/[^\w.@/+=,:-]+/g, '-');
}
