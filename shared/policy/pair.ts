/** A pair: one permission set in one account, the unit people are given, ask for and click. */
export interface Pair {
  accountId: string;
  permissionSet: string;
}

/** One string per pair, for maps and sets (account ids are digits, so the NUL cannot be part of one). */
export function pairKey(pair: Pair): string {
  return `${pair.accountId}\u0000${pair.permissionSet}`;
}
