/**
 * Slows down guessing passwords, counted two ways, in the state table so every API instance shares one
 * count (backend/state/layout.ts signInFailuresKey):
 *   - per person: every spelling of one person ("dsmith", "CORP\dsmith", "dave.smith@example.com")
 *     is one count, as the directory resolves the name (the route hands in the key); five free failures,
 *     then each failure makes the next attempt wait, twice as long each time (5 s, 10 s, 20 s ... at
 *     most 15 minutes). A success forgets them.
 *   - per source address: many names guessed from one address; more free failures (people behind one
 *     NAT share an address), then the same doubling waits. A success does not forget them.
 * Failures are counted over a window of 15 minutes from the first one; a wait is an item of its own
 * that expires when the wait is over. Attempts during a wait are answered 429 without asking the
 * directory, so a guesser cannot lock the person's directory account through us either. Keys are keyed
 * hashes: the table holds no name and no address.
 */
import { signInFailuresKey, signInWaitKey } from '../state/layout.ts';
import type { StateTable } from '../state/state-table.ts';

export interface FailureKey {
  kind: 'person' | 'address';
  /** A keyed hash of the person's id (or the name as typed, normalised) or of the address. */
  hash: string;
}

export interface FailurePolicy {
  /** Failures before waits begin: the failure with this number starts the first wait. */
  freeFailures: number;
  /** First wait in ms, doubled with each further failure. */
  firstWaitMs: number;
  /** Longest wait. */
  maxWaitMs: number;
  /** Failures are counted over this long from the first one. */
  windowMs: number;
}

export type LimiterVerdict = { allowed: true } | { allowed: false; kind: FailureKey['kind']; retryAfterSeconds: number };

export interface SignInLimiter {
  /** Whether an attempt under these keys may go ahead now (the longest wait of any key otherwise). */
  check(keys: readonly FailureKey[]): Promise<LimiterVerdict>;
  failed(keys: readonly FailureKey[]): Promise<void>;
  /** Forgets a person's failures (addresses keep theirs). */
  succeeded(key: FailureKey): Promise<void>;
}

export const PERSON_FAILURES: FailurePolicy = { freeFailures: 5, firstWaitMs: 5000, maxWaitMs: 15 * 60_000, windowMs: 15 * 60_000 };

/** The address policy: as a person's, with more free failures (SWITCHYARD_SIGN_IN_ADDRESS_FREE_FAILURES). */
export function addressFailures(freeFailures: number): FailurePolicy {
  return { ...PERSON_FAILURES, freeFailures };
}

interface Wait {
  /** When the wait ends (ms since the epoch). */
  until: number;
}

export interface StateSignInLimiterOptions {
  person?: FailurePolicy;
  address?: FailurePolicy;
  now?: () => number;
}

export function stateSignInLimiter(table: StateTable, options: StateSignInLimiterOptions = {}): SignInLimiter {
  const policies = { person: options.person ?? PERSON_FAILURES, address: options.address ?? addressFailures(50) };
  const now = options.now ?? Date.now;
  const seconds = (ms: number) => Math.ceil(ms / 1000);

  return {
    async check(keys) {
      let longest: LimiterVerdict = { allowed: true };
      for (const key of keys) {
        const wait = await table.get<Wait>(signInWaitKey(key.kind, key.hash));
        const left = wait ? wait.data.until - now() : 0;
        if (left > 0 && (longest.allowed || left > longest.retryAfterSeconds * 1000)) {
          longest = { allowed: false, kind: key.kind, retryAfterSeconds: Math.max(1, seconds(left)) };
        }
      }
      return longest;
    },

    async failed(keys) {
      for (const key of keys) {
        const policy = policies[key.kind];
        const failures = await table.increment(signInFailuresKey(key.kind, key.hash), 1, seconds(now() + policy.windowMs));
        const beyond = failures - policy.freeFailures;
        if (beyond < 0) continue;
        const until = now() + Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** Math.min(beyond, 30));
        await table.put<Wait>({ ...signInWaitKey(key.kind, key.hash), expiresAt: seconds(until), data: { until } }, { kind: 'any' });
      }
    },

    async succeeded(key) {
      await table.delete(signInFailuresKey(key.kind, key.hash), { kind: 'any' });
      await table.delete(signInWaitKey(key.kind, key.hash), { kind: 'any' });
    },
  };
}
