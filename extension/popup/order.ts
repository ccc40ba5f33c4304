/** Display order of the list: by account name, then permission set; account id breaks ties between equal names. */
import type { Entitlement } from '../../shared/api/contract.ts';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function compareEntitlements(a: Entitlement, b: Entitlement): number {
  return (
    collator.compare(a.accountName, b.accountName) ||
    collator.compare(a.accountId, b.accountId) ||
    collator.compare(a.permissionSet, b.permissionSet)
  );
}

export function sortForDisplay(entitlements: readonly Entitlement[]): Entitlement[] {
  return [...entitlements].sort(compareEntitlements);
}

/** Stable key of a row: one (account, permission set) pair. */
export function entitlementKey(entitlement: Pick<Entitlement, 'accountId' | 'permissionSet'>): string {
  return `${entitlement.accountId}:${entitlement.permissionSet}`;
}
