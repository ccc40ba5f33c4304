/**
 * Search in the popup: every word typed must appear (case-insensitively) somewhere in the row's text —
 * account name, account id, permission set, description or regions. Order is kept.
 */
import type { Entitlement } from '../../shared/api/contract.ts';

export function searchableText(entitlement: Entitlement): string {
  return [entitlement.accountName, entitlement.accountId, entitlement.permissionSet, entitlement.description ?? '', ...entitlement.regions]
    .join(' ')
    .toLowerCase();
}

export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

export function filterEntitlements(entitlements: readonly Entitlement[], query: string): Entitlement[] {
  const words = queryWords(query);
  if (words.length === 0) return [...entitlements];
  return entitlements.filter((entitlement) => {
    const text = searchableText(entitlement);
    return words.every((word) => text.includes(word));
  });
}
