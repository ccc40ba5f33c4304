/**
 * Which accounts a selector picks. Fields combine with AND (every field given must match); inside a
 * list any entry may match; tags must all match; an OU path matches that OU and everything below it,
 * by whole path segments. A selector with no field picks nothing; `all` picks everything.
 */
import type { Account, AccountSelector } from './model.ts';

export function selectAccounts(accounts: readonly Account[], selector: AccountSelector): Account[] {
  return accounts.filter(selectorMatcher(selector));
}

export function accountMatches(account: Account, selector: AccountSelector): boolean {
  return selectorMatcher(selector)(account);
}

/**
 * The selector prepared once (sets of ids and names, tag pairs, OU path segments), so matching an
 * account costs the same however long the selector's lists are.
 */
export function selectorMatcher(selector: AccountSelector): (account: Account) => boolean {
  if (selector.all) return () => true;
  const ids = selector.ids && new Set(selector.ids);
  const names = selector.names && new Set(selector.names);
  const tags = selector.tags && Object.entries(selector.tags);
  const ouPaths = selector.ouPaths?.map(segments);
  if (!ids && !names && !tags && !ouPaths) return () => false;
  return (account) =>
    (!ids || ids.has(account.id)) &&
    (!names || names.has(account.name)) &&
    // Own tags only: a tag may be called "constructor".
    (!tags || tags.every(([key, value]) => Object.hasOwn(account.tags, key) && account.tags[key] === value)) &&
    (!ouPaths || (account.ouPath !== undefined && ouPaths.some((wanted) => segmentsContain(wanted, segments(account.ouPath!)))));
}

/** "/Root/Workloads" contains "/Root/Workloads" and "/Root/Workloads/Prod", not "/Root/WorkloadsX". */
export function ouPathContains(selectorPath: string, accountPath: string | undefined): boolean {
  return accountPath !== undefined && segmentsContain(segments(selectorPath), segments(accountPath));
}

function segmentsContain(wanted: readonly string[], actual: readonly string[]): boolean {
  return wanted.length > 0 && wanted.length <= actual.length && wanted.every((segment, index) => segment === actual[index]);
}

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}
