/** settings.yaml with its defaults filled in. */
import { DEFAULT_MANAGED_POLICIES_PER_ROLE, DEFAULT_TRUST_POLICY_CHARS } from '../iam/limits.ts';
import type { SettingsFile } from './file-schemas.ts';
import type { SourceDocument } from './source-document.ts';

export interface Settings {
  discoverAccounts: boolean;
  allowMassDeletion: boolean;
  defaultRegions: string[];
  managedPoliciesPerRole: number;
  trustPolicySize: number;
  /** The settings file, when there is one (for locating problems about settings). */
  document?: SourceDocument;
}

export function settingsFrom(file: SettingsFile | undefined, document?: SourceDocument): Settings {
  return {
    discoverAccounts: file?.discoverAccounts ?? false,
    allowMassDeletion: file?.allowMassDeletion ?? false,
    defaultRegions: file?.defaultRegions ?? [],
    managedPoliciesPerRole: file?.limits?.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE,
    trustPolicySize: file?.limits?.trustPolicySize ?? DEFAULT_TRUST_POLICY_CHARS,
    document,
  };
}
