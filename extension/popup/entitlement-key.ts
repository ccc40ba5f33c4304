import type { Entitlement } from '../../shared/api/contract.ts';

/** Stable key of a row: one (account, permission set) pair. */
export function entitlementKey(entitlement: Pick<Entitlement, 'accountId' | 'permissionSet'>): string {
  return `${entitlement.accountId}:${entitlement.permissionSet}`;
}
