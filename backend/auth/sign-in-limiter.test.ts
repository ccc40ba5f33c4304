import { describe, expect, it } from 'vitest';
import { makeSignInLimiter } from './sign-in-limiter.ts';

describe('sign-in limiter', () => {
  it('gives five free failures, then doubles the wait, and forgets on success', () => {
    let now = 0;
    const limiter = makeSignInLimiter({ now: () => now });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(limiter.check('alice')).toEqual({ allowed: true });
      limiter.failed('alice');
    }
    expect(limiter.check('alice')).toEqual({ allowed: true });
    limiter.failed('alice');
    expect(limiter.check('alice')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect(limiter.check('bob')).toEqual({ allowed: true });
    now = 5000;
    expect(limiter.check('alice')).toEqual({ allowed: true });
    limiter.failed('alice');
    expect(limiter.check('alice')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now = 15_000;
    limiter.succeeded('alice');
    expect(limiter.check('alice')).toEqual({ allowed: true });
  });

  it('caps the wait and forgets failures after a quiet period', () => {
    let now = 0;
    const limiter = makeSignInLimiter({ now: () => now, maxWaitMs: 60_000, forgetAfterMs: 120_000 });
    for (let attempt = 0; attempt < 20; attempt++) limiter.failed('bob');
    expect(limiter.check('bob')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    now = 121_000;
    expect(limiter.check('bob')).toEqual({ allowed: true });
    limiter.failed('bob');
    expect(limiter.check('bob')).toEqual({ allowed: true });
  });

  it('tracks a bounded number of names', () => {
    const limiter = makeSignInLimiter({ maxNames: 2, freeFailures: 1 });
    limiter.failed('a');
    limiter.failed('b');
    limiter.failed('c');
    expect(limiter.check('a')).toEqual({ allowed: true });
    expect(limiter.check('c').allowed).toBe(false);
  });
});
