/**
 * Which accounts an assignment's selector names.
 * TODO(dedupe): shared/entitlements.ts is to export the canonical selectAccounts; switch to it once
 * it lands so reconciler and broker can never disagree about a selector.
 */
import type { Account, AccountSelector } from '../policy/model.ts';

/** An account matches when any criterion of the selector names it (tags: all pairs must match). */
export function selectAccounts(accounts: Account[], selector: AccountSelector): Account[] {
  return accounts.filter((account) => matches(account, selector));
}

function matches(account: Account, selector: AccountSelector): boolean {
  if (selector.all) return true;
  if (selector.ids?.includes(account.id)) return true;
  if (selector.names?.includes(account.name)) return true;
  if (selector.ouPaths?.some((path) => underOu(account.ouPath, path))) return true;
  const tags = selector.tags ? Object.entries(selector.tags) : [];
  return tags.length > 0 && tags.every(([key, value]) => account.tags[key] === value);
}

function underOu(accountPath: string | undefined, selected: string): boolean {
  if (accountPath === undefined) return false;
  const base = selected.replace(/\/+$/, '');
  return accountPath === base || accountPath.startsWith(`${base}/`);
}
