/**
 * From the files of a policy folder (or bucket) to the validated Policy. Pure: the caller reads the
 * files. Never throws; `policy` is present only when no problem is an error.
 */
import type { Partition } from '../console/partitions.ts';
import { buildAccounts, type AccountsSource } from './accounts.ts';
import { buildAssignments, type AssignmentsSource } from './assignments.ts';
import { classifyFile, stemOf, type FileKind } from './file-kinds.ts';
import { buildEligibility, type EligibilitySource } from './eligibility.ts';
import { AccountsFileSchema, AssignmentsFileSchema, EligibilityFileSchema, PermissionSetFileSchema, SettingsFileSchema } from './file-schemas.ts';
import { fileSetProblems } from './file-set.ts';
import type { Account, PermissionSet, Policy } from './model.ts';
import { buildPermissionSets, type PermissionSetSource } from './permission-sets.ts';
import { PolicyDocuments } from './policy-documents.ts';
import { compareProblems, type PolicyFile, type Problem } from './problem.ts';
import { checkShape } from './schema-problems.ts';
import { settingsFrom } from './settings.ts';
import { parseSource, type SourceDocument } from './source-document.ts';
import { errorText } from '../error-text.ts';

export interface LoadPolicyOptions {
  /**
   * The deployment's partition: ARNs and regions of another partition are then errors. Unset (a folder
   * checked for no deployment): only regions no deployment could open are.
   */
  partition?: Partition;
  /** Accounts from AWS Organizations; used only when settings say `discoverAccounts: true`. */
  discoveredAccounts?: Account[];
  /** Exact trust policy length the reconciler writes; by default a worst-case estimate. */
  trustPolicyLength?: (permissionSet: PermissionSet) => number;
}

export interface LoadPolicyResult {
  /** Present only when no problem is an error and the inventory is complete (see needsDiscovery). */
  policy?: Policy;
  problems: Problem[];
  /**
   * Settings ask for accounts from AWS Organizations but `discoveredAccounts` was not given: the files
   * were checked, yet no policy is returned (it would lack the accounts). Discover, then load again.
   */
  needsDiscovery?: boolean;
}

const EXPECTED_LAYOUT =
  'settings.yaml, accounts.yaml, accounts/*, permission-sets/*, assignments.yaml, assignments/*, eligibility.yaml, eligibility/*, policies/*.json';

export function loadPolicy(files: readonly PolicyFile[], options: LoadPolicyOptions = {}): LoadPolicyResult {
  try {
    return load(files, options);
  } catch (error) {
    // A bug here must still come back as a located problem, never as a crash of the caller.
    return {
      problems: [
        {
          file: files[0]?.path ?? '.',
          line: 1,
          column: 1,
          severity: 'error',
          message: `internal error while loading the policy: ${errorText(error)}`,
        },
      ],
    };
  }
}

/** Whether settings ask for accounts from AWS Organizations (so the caller discovers them first). */
export function discoveryRequested(files: readonly PolicyFile[]): boolean {
  if (fileSetProblems(files).length > 0) return false;
  const settings = files.find((file) => classifyFile(file.path) === 'settings');
  if (!settings) return false;
  const { document } = parseSource(settings);
  if (!document) return false;
  return SettingsFileSchema.safeParse(document.value ?? {}).data?.discoverAccounts === true;
}

function load(files: readonly PolicyFile[], options: LoadPolicyOptions): LoadPolicyResult {
  const refused = fileSetProblems(files);
  if (refused.length > 0) return { problems: refused.sort(compareProblems) };
  const problems: Problem[] = [];
  const byKind = new Map<FileKind, PolicyFile[]>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const kind = classifyFile(file.path);
    byKind.set(kind, [...(byKind.get(kind) ?? []), file]);
  }
  const parse = <T>(kind: FileKind, schema: Parameters<typeof checkShape<T>>[0]) =>
    (byKind.get(kind) ?? []).flatMap((file) => {
      const parsed = parseSource(file);
      problems.push(...parsed.problems);
      if (!parsed.document) return [];
      const shape = checkShape(schema, parsed.document);
      problems.push(...shape.problems);
      return shape.data === undefined ? [] : [{ document: parsed.document, data: shape.data }];
    });

  const settingsFiles = byKind.get('settings') ?? [];
  for (const extra of settingsFiles.slice(1)) {
    problems.push({
      file: extra.path,
      line: 1,
      column: 1,
      severity: 'error',
      message: `only one settings file is allowed (also found ${settingsFiles[0]!.path})`,
    });
  }
  byKind.set('settings', settingsFiles.slice(0, 1));
  const [settingsSource] = parse('settings', SettingsFileSchema);
  const settingsFailed = settingsFiles.length > 0 && !settingsSource;
  const settings = settingsFrom(settingsSource?.data, settingsSource?.document);

  const policyDocuments = new PolicyDocuments(files, problems);
  for (const file of byKind.get('policy-document') ?? []) policyDocuments.check(file.path);

  const accountFiles = byKind.get('accounts') ?? [];
  const accountSources: AccountsSource[] = parse('accounts', AccountsFileSchema);
  const accounts = buildAccounts(accountSources, settings, options.discoveredAccounts, options.partition);
  problems.push(...accounts.problems);

  const permissionSetFiles = byKind.get('permission-set') ?? [];
  const permissionSetSources: PermissionSetSource[] = parse('permission-set', PermissionSetFileSchema);
  const permissionSets = buildPermissionSets(permissionSetSources, {
    settings,
    policyDocuments,
    trustPolicyLength: options.trustPolicyLength,
    partition: options.partition,
  });
  problems.push(...permissionSets.problems);

  const assignmentSources: AssignmentsSource[] = parse('assignments', AssignmentsFileSchema);
  const selection = {
    accounts: accounts.accounts,
    permissionSets: permissionSets.permissionSets,
    definedPermissionSets: permissionSetFiles.flatMap((file) => [stemOf(file.path), declaredName(file, permissionSetSources)]),
    // When the inventory itself is broken, "matches no account" would only repeat that.
    inventoryUnknown:
      accounts.discoveryPending ||
      settingsFailed ||
      accountSources.length < accountFiles.length ||
      accounts.problems.some((problem) => problem.severity === 'error'),
  };
  const assignments = buildAssignments(assignmentSources, selection);
  problems.push(...assignments.problems);

  const eligibilitySources: EligibilitySource[] = parse('eligibility', EligibilityFileSchema);
  const eligibility = buildEligibility(eligibilitySources, { ...selection, assignments: assignments.assignments });
  problems.push(...eligibility.problems);

  for (const file of byKind.get('policy-document') ?? []) {
    if (!policyDocuments.isReferenced(file.path)) {
      problems.push({ file: file.path, line: 1, column: 1, severity: 'warning', message: 'policy document is not used by any permission set' });
    }
  }
  for (const file of byKind.get('unknown') ?? []) {
    if (policyDocuments.isReferenced(file.path)) continue;
    problems.push({ file: file.path, line: 1, column: 1, severity: 'warning', message: `not a policy file, ignored (expected ${EXPECTED_LAYOUT})` });
  }

  problems.sort(compareProblems);
  if (problems.some((problem) => problem.severity === 'error')) return { problems };
  if (accounts.discoveryPending) return { problems, needsDiscovery: true };
  const policy: Policy = {
    accounts: accounts.accounts,
    permissionSets: permissionSets.permissionSets,
    assignments: assignments.assignments,
    eligibility: eligibility.eligibility,
    allowMassDeletion: settings.allowMassDeletion,
  };
  return { policy, problems };
}

function declaredName(file: PolicyFile, sources: readonly PermissionSetSource[]): string {
  const source = sources.find((candidate: { document: SourceDocument }) => candidate.document.file === file.path);
  return source?.data.name ?? stemOf(file.path);
}
