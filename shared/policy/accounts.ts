/**
 * The account inventory: accounts discovered from AWS Organizations (when settings ask for it),
 * then the entries of the accounts files, which add accounts or override discovered ones (matched
 * by id, else by name). Explicit fields win; tags are merged.
 */
import type { Account } from './model.ts';
import type { AccountEntry, AccountsFile } from './file-schemas.ts';
import type { Problem } from './problem.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';
import type { Settings } from './settings.ts';
import { styleFromTags } from './account-tags.ts';
import type { Partition } from '../console/partitions.ts';
import { regionProblems } from './regions.ts';
import { withPath } from './schema-problems.ts';

export interface AccountsSource {
  document: SourceDocument;
  data: AccountsFile;
}

export interface AccountsResult {
  accounts: Account[];
  problems: Problem[];
  /** Discovery is on but no discovered accounts were given: selectors cannot be checked yet. */
  discoveryPending: boolean;
}

interface Entry {
  account: Account;
  discovered: boolean;
  /** The accounts-file entry that defined or overrode this account, if any. */
  origin?: { document: SourceDocument; path: PathSegment[] };
}

/** `partition`: the deployment's; regions of another partition are then errors (see regions.ts). */
export function buildAccounts(
  sources: readonly AccountsSource[],
  settings: Settings,
  discovered?: readonly Account[],
  partition?: Partition,
): AccountsResult {
  const problems: Problem[] = [];
  const discoveryOn = settings.discoverAccounts;
  const discoveryPending = discoveryOn && discovered === undefined;
  const settingsProblem = (severity: Problem['severity'], message: string) => {
    if (settings.document) problems.push(settings.document.problem(['discoverAccounts'], severity, message, 'key'));
  };
  if (discoveryPending) {
    settingsProblem(
      'warning',
      'accounts are discovered from AWS Organizations when reconciling; run with --discover to check selectors against them',
    );
  }

  for (const { index, severity, message } of regionProblems(settings.defaultRegions, partition)) {
    const path = ['defaultRegions', index];
    if (settings.document) problems.push(settings.document.problem(path, severity, withPath(path, message)));
  }

  const entries: Entry[] = discoveryOn
    ? (discovered ?? []).map((account) => ({ account: withTagStyle(account, settingsProblem, partition), discovered: true }))
    : [];
  const listedIds = new Map<string, string>();

  for (const { document, data } of sources) {
    data.accounts.forEach((item, index) => {
      const path: PathSegment[] = ['accounts', index];
      const at = (field: PathSegment, message: string, severity: Problem['severity'] = 'error') =>
        problems.push(document.problem([...path, field], severity, message));
      for (const { index: regionIndex, severity, message } of regionProblems(item.regions ?? [], partition)) {
        const regionPath = [...path, 'regions', regionIndex];
        problems.push(document.problem(regionPath, severity, withPath(regionPath, message)));
      }

      if (item.id !== undefined) {
        const first = listedIds.get(item.id);
        if (first) return at('id', `account ${item.id} is already listed at ${first}`);
        const position = document.position([...path, 'id']);
        listedIds.set(item.id, `${document.file}:${position.line}:${position.column}`);
      }

      const target = findTarget(entries, item, discoveryOn);
      if (target === 'ambiguous')
        return at('name', `${entries.filter((e) => e.account.name === item.name).length} discovered accounts are named "${item.name}"; give the id`);
      if (target && target.origin) {
        const first = target.origin.document.position(target.origin.path);
        return at('name', `account "${target.account.name}" is already listed at ${target.origin.document.file}:${first.line}:${first.column}`);
      }
      if (target) {
        target.account = override(target.account, item);
        target.origin = { document, path };
        return;
      }
      if (item.id === undefined) {
        if (discoveryPending) return;
        if (discoveryOn) return at('name', `no discovered account is named "${item.name}"`);
        return problems.push(
          document.problem(path, 'error', `accounts[${index}]: missing required key "id" (or set discoverAccounts: true in settings)`),
        );
      }
      if (item.name === undefined) {
        const hint = discoveryOn && !discoveryPending ? ' (no discovered account has this id)' : '';
        return problems.push(document.problem(path, 'error', `accounts[${index}]: missing required key "name"${hint}`));
      }
      entries.push({
        account: override({ id: item.id, name: item.name, tags: {}, regions: [] }, item),
        discovered: false,
        origin: { document, path },
      });
    });
  }

  problems.push(...duplicateNameProblems(entries, settingsProblem));
  const accounts = entries.map(({ account }) =>
    account.regions.length === 0 && settings.defaultRegions.length > 0 ? { ...account, regions: [...settings.defaultRegions] } : account,
  );
  return { accounts, problems, discoveryPending };
}

function findTarget(entries: Entry[], item: AccountEntry, discoveryOn: boolean): Entry | 'ambiguous' | undefined {
  if (!discoveryOn) return undefined;
  const discovered = entries.filter((entry) => entry.discovered);
  if (item.id !== undefined) return discovered.find((entry) => entry.account.id === item.id);
  const named = discovered.filter((entry) => entry.account.name === item.name);
  if (named.length > 1) return 'ambiguous';
  return named[0];
}

function override(account: Account, item: AccountEntry): Account {
  const result: Account = { ...account, tags: { ...account.tags, ...item.tags } };
  if (item.name !== undefined) result.name = item.name;
  if (item.color !== undefined) result.color = item.color;
  if (item.regions !== undefined) result.regions = [...item.regions];
  if (item.ouPath !== undefined) result.ouPath = item.ouPath;
  return result;
}

function withTagStyle(account: Account, report: (severity: Problem['severity'], message: string) => void, partition?: Partition): Account {
  const style = styleFromTags(account.tags, partition);
  for (const message of style.rejected) report('warning', `discovered account ${account.name} (${account.id}): ${message}; ignored`);
  return {
    ...account,
    tags: { ...account.tags },
    regions: account.regions.length > 0 ? [...account.regions] : (style.regions ?? []),
    ...(account.color === undefined && style.color !== undefined ? { color: style.color } : {}),
  };
}

function duplicateNameProblems(entries: Entry[], report: (severity: Problem['severity'], message: string) => void): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map<string, Entry[]>();
  for (const entry of entries) byName.set(entry.account.name, [...(byName.get(entry.account.name) ?? []), entry]);
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    const ids = group.map((entry) => entry.account.id).join(', ');
    const listed = group.filter((entry) => entry.origin !== undefined);
    if (listed.length === 0) {
      report('warning', `discovered accounts ${ids} are all named "${name}"; selecting by name picks all of them`);
      continue;
    }
    const blamed = listed.length === group.length ? listed.slice(1) : listed;
    for (const entry of blamed) {
      const origin = entry.origin!;
      const field = origin.document.value && hasName(origin.document, origin.path) ? 'name' : 'id';
      problems.push(origin.document.problem([...origin.path, field], 'error', `account name "${name}" is used by more than one account (${ids})`));
    }
  }
  return problems;
}

function hasName(document: SourceDocument, path: PathSegment[]): boolean {
  let value: unknown = document.value;
  for (const segment of path) value = (value as Record<PathSegment, unknown> | undefined)?.[segment];
  return typeof (value as { name?: unknown } | undefined)?.name === 'string';
}
