import type { Account } from './model.ts';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Accounts in display order (name, then id): the order the reconciler publishes them in, so an API cold start need not sort them. */
export function compareAccounts(a: Account, b: Account): number {
  return collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
}
