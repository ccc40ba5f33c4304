/**
 * Which accounts a selector picks. Fields combine with AND (every field given must match); inside a
 * list any entry may match; tags must all match; an OU path matches that OU and everything below it,
 * by whole path segments. A selector with no field picks nothing; `all` picks everything.
 */
import type { Account, AccountSelector } from './model.ts';

export function selectAccounts(accounts: readonly Account[], selector: AccountSelector): Account[] {
  return accounts.filter((account) => accountMatches(account, selector));
}

export function accountMatches(account: Account, selector: AccountSelector): boolean {
  if (selector.all) return true;
  const checks: boolean[] = [];
  if (selector.ids) checks.push(selector.ids.includes(account.id));
  if (selector.names) checks.push(selector.names.includes(account.name));
  if (selector.tags) checks.push(Object.entries(selector.tags).every(([key, value]) => Object.hasOwn(account.tags, key) && account.tags[key] === value));
  if (selector.ouPaths) checks.push(selector.ouPaths.some((path) => ouPathContains(path, account.ouPath)));
  return checks.length > 0 && checks.every(Boolean);
}

/** "/Root/Workloads" contains "/Root/Workloads" and "/Root/Workloads/Prod", not "/Root/WorkloadsX". */
export function ouPathContains(selectorPath: string, accountPath: string | undefined): boolean {
  if (accountPath === undefined) return false;
  const wanted = segments(selectorPath);
  const actual = segments(accountPath);
  return wanted.length > 0 && wanted.length <= actual.length && wanted.every((segment, index) => segment === actual[index]);
}

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}
