/**
 * What Switchyard keeps in its state table, under which keys: the one file to read for "where is X
 * stored?" (as backend/bucket/layout.ts is for the policy bucket). Each feature adds its item kinds
 * here, as functions from its own identifiers to keys, so no other file spells a key.
 *
 * Keys are `#`-separated parts; every part that comes from outside (a person's id, a group name) is
 * percent-encoded by `keyOf`, so no value can forge a separator or reach another kind's keys.
 */
import type { StateIndexKey, StateKey } from './state-table.ts';

/** Joins key parts with `#`, percent-encoding each (a literal kind name first, then the values). */
export function keyOf(kind: string, ...values: string[]): string {
  return [kind, ...values.map(encodeURIComponent)].join('#');
}

/** Splits a key made by keyOf back into its decoded values (without the kind). */
export function valuesOf(key: string): string[] {
  return key.split('#').slice(1).map(decodeURIComponent);
}

/** A key of one item: partition and sort key. */
export function itemKey(pk: string, sk: string): StateKey {
  return { pk, sk };
}

// Elevation (docs/elevation.md): requests, the grants they become, and what finds them.

/** One request for an eligible pair, and the grant it becomes (backend/elevation/request-store.ts). */
export function elevationRequestKey(requestId: string): StateKey {
  return itemKey(keyOf('elevation-request', requestId), 'request');
}

/**
 * The secondary index of a request while it is pending, active or revoked (revoked ones are read by the
 * reconciler, which denies their sessions): requests of one state, oldest first. Absent in the other states.
 */
export function elevationStateIndex(state: 'pending' | 'active' | 'revoked', createdAt: string, requestId: string): StateIndexKey {
  return { pk: elevationStatePartition(state), sk: keyOf('request', createdAt, requestId) };
}

export function elevationStatePartition(state: 'pending' | 'active' | 'revoked'): string {
  return keyOf('elevation-state', state);
}

/**
 * The one open request of a person for a pair: created only if absent, so two requests for a covered pair
 * cannot both be made; read consistently by every click on an eligible pair.
 */
export function elevationPairKey(personId: string, accountId: string, permissionSet: string): StateKey {
  return itemKey(elevationPairPartition(personId), keyOf('pair', accountId, permissionSet));
}

/** Every pair a person has an open request for, in one partition: GET /entitlements reads them in one query. */
export function elevationPairPartition(personId: string): string {
  return keyOf('elevation-pair', personId);
}

/** A person's requests, oldest first: one small item per request, naming it. */
export function elevationRequesterKey(personId: string, createdAt: string, requestId: string): StateKey {
  return itemKey(elevationRequesterPartition(personId), keyOf('request', createdAt, requestId));
}

export function elevationRequesterPartition(personId: string): string {
  return keyOf('elevation-requester', personId);
}

/**
 * A code of the CLI's sign-in handoff (backend/auth/cli-login-codes.ts), found by the SHA-256 of the code:
 * the code itself is never stored, so reading the table gives nobody a code to redeem.
 */
export function cliLoginCodeKey(codeHash: string): StateKey {
  return itemKey(keyOf('cli-login-code', codeHash), 'code');
}

/**
 * Last use (access review): one item per person and (account, permission set) pair, holding when the
 * pair was last opened in each channel. The person's partition lists every pair they have used.
 */
export function lastUsePartition(personId: string): string {
  return keyOf('last-use', personId);
}

export function lastUseKey(personId: string, accountId: string, permissionSet: string): StateKey {
  return itemKey(lastUsePartition(personId), keyOf('pair', accountId, permissionSet));
}

/** The pair a last-use item's sort key names. */
export function lastUsePairOf(sk: string): { accountId: string; permissionSet: string } {
  const [accountId = '', permissionSet = ''] = valuesOf(sk);
  return { accountId, permissionSet };
}

// Sign-in (backend/auth/): the items every API instance shares about sessions and failed sign-ins.

/** One item per sign-in: the generation of the one refresh token that may be traded now, and whether it has ended (session-families.ts). */
export function sessionFamilyKey(sessionId: string): StateKey {
  return itemKey(keyOf('session', sessionId), 'family');
}

/** Failed sign-ins of one person or one source address, by keyed hash: the counter (sign-in-limiter.ts). */
export function signInFailuresKey(kind: 'person' | 'address', hash: string): StateKey {
  return itemKey(keyOf('sign-in-failures', kind, hash), 'count');
}

/** ... and the wait the failures impose: attempts are answered 429 until it ends. */
export function signInWaitKey(kind: 'person' | 'address', hash: string): StateKey {
  return itemKey(keyOf('sign-in-failures', kind, hash), 'wait');
}
