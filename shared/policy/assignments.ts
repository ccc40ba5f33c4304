/** Assignments: group -> permission set -> accounts. A list of selectors becomes one assignment each. */
import type { AssignmentsFile, SelectorEntry } from './file-schemas.ts';
import type { Account, AccountSelector, Assignment, PermissionSet } from './model.ts';
import type { Problem } from './problem.ts';
import { selectAccounts } from './selectors.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';

export interface AssignmentsSource {
  document: SourceDocument;
  data: AssignmentsFile;
}

export interface AssignmentsContext {
  accounts: readonly Account[];
  permissionSets: readonly PermissionSet[];
  /** All permission set names that were defined, valid or not (so one bad file does not cascade). */
  definedPermissionSets: readonly string[];
  /** Skip "matches no account" warnings: the inventory is not known (yet). */
  inventoryUnknown: boolean;
}

export function buildAssignments(sources: readonly AssignmentsSource[], context: AssignmentsContext): { assignments: Assignment[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const assignments: Assignment[] = [];
  for (const { document, data } of sources) {
    data.assignments.forEach((item, index) => {
      const path: PathSegment[] = ['assignments', index];
      const permissionSetProblem = unknownPermissionSet(item.permissionSet, context.definedPermissionSets);
      if (permissionSetProblem) problems.push(document.problem([...path, 'permissionSet'], 'error', permissionSetProblem));

      const selections: { selector: AccountSelector; path: PathSegment[] }[] =
        item.accounts === '*'
          ? [{ selector: { all: true }, path: [...path, 'accounts'] }]
          : Array.isArray(item.accounts)
            ? item.accounts.map((entry, position) => ({ selector: toSelector(entry), path: [...path, 'accounts', position] }))
            : [{ selector: toSelector(item.accounts), path: [...path, 'accounts'] }];

      for (const { selector, path: selectorPath } of selections) {
        if (!selector.all && !selector.ids && !selector.names && !selector.tags && !selector.ouPaths) {
          problems.push(document.problem(selectorPath, 'error', 'an empty selector matches no account; use "*" for all accounts'));
          continue;
        }
        if (!context.inventoryUnknown) problems.push(...unmatchedProblems(document, selectorPath, selector, context.accounts));
        assignments.push({ group: item.group, permissionSet: item.permissionSet, accounts: selector });
      }
    });
  }
  return { assignments, problems };
}

function toSelector(entry: SelectorEntry): AccountSelector {
  const selector: AccountSelector = {};
  if (entry.ids) selector.ids = [...entry.ids];
  if (entry.names) selector.names = [...entry.names];
  if (entry.tags) selector.tags = { ...entry.tags };
  if (entry.ouPaths) selector.ouPaths = entry.ouPaths.map((path) => (path.length > 1 ? path.replace(/\/$/, '') : path));
  return selector;
}

function unknownPermissionSet(name: string, defined: readonly string[]): string | undefined {
  if (defined.includes(name)) return undefined;
  const similar = defined.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (similar) return `unknown permission set "${name}"; did you mean "${similar}"?`;
  const list = defined.length > 0 ? ` (defined: ${[...new Set(defined)].sort().join(', ')})` : ' (no permission sets are defined)';
  return `unknown permission set "${name}"${list}`;
}

function unmatchedProblems(document: SourceDocument, path: PathSegment[], selector: AccountSelector, accounts: readonly Account[]): Problem[] {
  if (selector.all) {
    return accounts.length === 0 ? [document.problem(path, 'warning', 'selector "*" matches no account: the inventory is empty')] : [];
  }
  const problems: Problem[] = [];
  selector.ids?.forEach((id, index) => {
    if (!accounts.some((account) => account.id === id)) problems.push(document.problem([...path, 'ids', index], 'warning', `no account has id ${id}`));
  });
  selector.names?.forEach((name, index) => {
    if (!accounts.some((account) => account.name === name)) problems.push(document.problem([...path, 'names', index], 'warning', `no account is named "${name}"`));
  });
  if (problems.length === 0 && selectAccounts(accounts, selector).length === 0) {
    problems.push(document.problem(path, 'warning', 'selector matches no account'));
  }
  return problems;
}
