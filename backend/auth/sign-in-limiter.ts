/**
 * Slows down guessing passwords for one user name. Each name (a keyed hash of it, never the name) gets
 * five free failures; from the fifth on, each failure makes the next attempt wait, twice as long each
 * time (5 s, 10 s, 20 s ... at most 15 minutes). Attempts during the wait are answered 429 without
 * asking the directory, so a guesser cannot lock the person's directory account through us either.
 * A success, or a quiet period, forgets the failures.
 *
 * The counts live in this process: each Lambda instance counts on its own, so a guesser whose requests
 * spread over N warm instances gets up to N times the free failures and waits. That bounds the rate,
 * not the total; the directory's own lockout policy (AD) or the user pool's is the hard limit.
 */

export interface SignInLimiterOptions {
  /** Failures before waits begin: the failure with this number starts the first wait (default 5). */
  freeFailures?: number;
  /** First wait in ms, doubled with each further failure (default 5 s). */
  firstWaitMs?: number;
  /** Longest wait (default 15 minutes). */
  maxWaitMs?: number;
  /** Failures older than this are forgotten (default 15 minutes). */
  forgetAfterMs?: number;
  /** Names tracked at once; the oldest are dropped beyond it (default 10,000). */
  maxNames?: number;
  now?: () => number;
}

export type LimiterVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SignInLimiter {
  check(key: string): LimiterVerdict;
  failed(key: string): void;
  succeeded(key: string): void;
}

interface Record {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export function makeSignInLimiter(options: SignInLimiterOptions = {}): SignInLimiter {
  const freeFailures = options.freeFailures ?? 5;
  const firstWaitMs = options.firstWaitMs ?? 5000;
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  const forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
  const maxNames = options.maxNames ?? 10_000;
  const now = options.now ?? Date.now;
  const records = new Map<string, Record>();

  function current(key: string): Record | undefined {
    const record = records.get(key);
    if (record && now() - record.lastFailureAt > forgetAfterMs && now() >= record.blockedUntil) {
      records.delete(key);
      return undefined;
    }
    return record;
  }

  return {
    check(key) {
      const record = current(key);
      if (!record || now() >= record.blockedUntil) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((record.blockedUntil - now()) / 1000)) };
    },
    failed(key) {
      const record = current(key) ?? { failures: 0, lastFailureAt: 0, blockedUntil: 0 };
      record.failures += 1;
      record.lastFailureAt = now();
      const beyond = record.failures - freeFailures;
      if (beyond >= 0) record.blockedUntil = now() + Math.min(maxWaitMs, firstWaitMs * 2 ** Math.min(beyond, 30));
      records.delete(key);
      records.set(key, record);
      if (records.size > maxNames) records.delete(records.keys().next().value as string);
    },
    succeeded(key) {
      records.delete(key);
    },
  };
}
