/**
 * The AWS CLI profile of one (account, permission set) pair, as Switchyard names and writes it: the
 * profile name (default template `<account-name>/<permission-set>`) and its `credential_process` command,
 * which runs `switchyard credentials` for that pair whenever the AWS CLI or an SDK needs credentials. The
 * web page's credentials panel shows this profile; `switchyard configure` writes one per entitlement.
 */

export interface ProfilePair {
  accountId: string;
  accountName: string;
  permissionSet: string;
}

/** Characters a profile name keeps; any other (a space, a bracket, a quote) becomes "-", so the name is one INI section name. */
const PROFILE_NAME_CHARACTER = /[^\w.+=,@/-]/g;

export const DEFAULT_PROFILE_TEMPLATE = '<account-name>/<permission-set>';

export function profileNameFor(pair: ProfilePair, template = DEFAULT_PROFILE_TEMPLATE): string {
  return template
    .replaceAll('<account-name>', pair.accountName)
    .replaceAll('<account-id>', pair.accountId)
    .replaceAll('<permission-set>', pair.permissionSet)
    .replace(PROFILE_NAME_CHARACTER, '-');
}

/** Account IDs are 12 digits and permission set names IAM role name characters: no quoting is needed on any shell. */
export function credentialProcessCommand(pair: Pick<ProfilePair, 'accountId' | 'permissionSet'>): string {
  return `switchyard credentials --account ${pair.accountId} --permission-set ${pair.permissionSet}`;
}
