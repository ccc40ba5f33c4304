/** Assignments: group -> permission set -> accounts. A list of selectors becomes one assignment each. */
import type { AssignmentsFile, SelectorEntry } from './file-schemas.ts';
import type { Account, AccountSelector, Assignment, PermissionSet } from './model.ts';
import type { Problem } from './problem.ts';
import { selectorMatcher } from './selectors.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';

/** The `accounts` field of an assignment or an eligibility entry. */
export type AccountsSelection = AssignmentsFile['assignments'][number]['accounts'];

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

export function buildAssignments(
  sources: readonly AssignmentsSource[],
  context: AssignmentsContext,
): { assignments: Assignment[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const assignments: Assignment[] = [];
  const inventory = indexInventory(context.accounts);
  for (const { document, data } of sources) {
    data.assignments.forEach((item, index) => {
      const path: PathSegment[] = ['assignments', index];
      const permissionSetProblem = unknownPermissionSet(item.permissionSet, context.definedPermissionSets);
      if (permissionSetProblem) problems.push(document.problem([...path, 'permissionSet'], 'error', permissionSetProblem));

      for (const selector of checkedSelectors(
        document,
        item.accounts,
        [...path, 'accounts'],
        context.inventoryUnknown ? undefined : inventory,
        problems,
      )) {
        assignments.push({ group: item.group, permissionSet: item.permissionSet, accounts: selector });
      }
    });
  }
  return { assignments, problems };
}

/**
 * The selectors of one `accounts` field ("*", a selector, or a list: one each), checked: an empty selector
 * is an error and left out; with an inventory, one that matches no account is a warning.
 */
export function checkedSelectors(
  document: SourceDocument,
  accounts: AccountsSelection,
  path: PathSegment[],
  inventory: Inventory | undefined,
  problems: Problem[],
): AccountSelector[] {
  const selections: { selector: AccountSelector; path: PathSegment[] }[] =
    accounts === '*'
      ? [{ selector: { all: true }, path }]
      : Array.isArray(accounts)
        ? accounts.map((entry, position) => ({ selector: toSelector(entry), path: [...path, position] }))
        : [{ selector: toSelector(accounts), path }];
  const checked: AccountSelector[] = [];
  for (const { selector, path: selectorPath } of selections) {
    if (!selector.all && !selector.ids && !selector.names && !selector.tags && !selector.ouPaths) {
      problems.push(document.problem(selectorPath, 'error', 'an empty selector matches no account; use "*" for all accounts'));
      continue;
    }
    if (inventory) problems.push(...unmatchedProblems(document, selectorPath, selector, inventory));
    checked.push(selector);
  }
  return checked;
}

function toSelector(entry: SelectorEntry): AccountSelector {
  const selector: AccountSelector = {};
  if (entry.ids) selector.ids = [...entry.ids];
  if (entry.names) selector.names = [...entry.names];
  if (entry.tags) selector.tags = { ...entry.tags };
  if (entry.ouPaths) selector.ouPaths = entry.ouPaths.map((path) => (path.length > 1 ? path.replace(/\/$/, '') : path));
  return selector;
}

export function unknownPermissionSet(name: string, defined: readonly string[]): string | undefined {
  if (defined.includes(name)) return undefined;
  const similar = defined.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (similar) return `unknown permission set "${name}"; did you mean "${similar}"?`;
  const list = defined.length > 0 ? ` (defined: ${[...new Set(defined)].sort().join(', ')})` : ' (no permission sets are defined)';
  return `unknown permission set "${name}"${list}`;
}

/**
 * The account inventory indexed by id, name and tag, so checking a selector looks only at the
 * accounts that could match it: thousands of selectors against thousands of accounts stay fast.
 */
export interface Inventory {
  accounts: readonly Account[];
  byId: ReadonlyMap<string, Account[]>;
  byName: ReadonlyMap<string, Account[]>;
  /** tag key -> tag value -> accounts */
  byTag: ReadonlyMap<string, ReadonlyMap<string, Account[]>>;
}

export function indexInventory(accounts: readonly Account[]): Inventory {
  const add = <K>(map: Map<K, Account[]>, key: K, account: Account) => {
    const list = map.get(key);
    if (list) list.push(account);
    else map.set(key, [account]);
  };
  const byId = new Map<string, Account[]>();
  const byName = new Map<string, Account[]>();
  const byTag = new Map<string, Map<string, Account[]>>();
  for (const account of accounts) {
    add(byId, account.id, account);
    add(byName, account.name, account);
    for (const [key, value] of Object.entries(account.tags)) {
      const values = byTag.get(key) ?? new Map<string, Account[]>();
      byTag.set(key, values);
      add(values, value, account);
    }
  }
  return { accounts, byId, byName, byTag };
}

/** Accounts that may match: those with one of its ids, else names, else its first tag; else all. */
function candidates(selector: AccountSelector, inventory: Inventory): readonly Account[] {
  if (selector.ids) return selector.ids.flatMap((id) => inventory.byId.get(id) ?? []);
  if (selector.names) return selector.names.flatMap((name) => inventory.byName.get(name) ?? []);
  const [firstTag] = Object.entries(selector.tags ?? {});
  if (firstTag) return inventory.byTag.get(firstTag[0])?.get(firstTag[1]) ?? [];
  return inventory.accounts;
}

function unmatchedProblems(document: SourceDocument, path: PathSegment[], selector: AccountSelector, inventory: Inventory): Problem[] {
  if (selector.all) {
    return inventory.accounts.length === 0 ? [document.problem(path, 'warning', 'selector "*" matches no account: the inventory is empty')] : [];
  }
  const problems: Problem[] = [];
  selector.ids?.forEach((id, index) => {
    if (!inventory.byId.has(id)) problems.push(document.problem([...path, 'ids', index], 'warning', `no account has id ${id}`));
  });
  selector.names?.forEach((name, index) => {
    if (!inventory.byName.has(name)) problems.push(document.problem([...path, 'names', index], 'warning', `no account is named "${name}"`));
  });
  if (problems.length === 0 && !candidates(selector, inventory).some(selectorMatcher(selector))) {
    problems.push(document.problem(path, 'warning', 'selector matches no account'));
  }
  return problems;
}
