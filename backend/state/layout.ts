/**
 * What Switchyard keeps in its state table, under which keys: the one file to read for "where is X
 * stored?" (as backend/bucket/layout.ts is for the policy bucket). Each feature adds its item kinds
 * here, as functions from its own identifiers to keys, so no other file spells a key.
 *
 * Keys are `#`-separated parts; every part that comes from outside (a person's id, a group name) is
 * percent-encoded by `keyOf`, so no value can forge a separator or reach another kind's keys.
 */
import type { StateKey } from './state-table.ts';

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
