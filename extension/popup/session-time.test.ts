import { describe, expect, it } from 'vitest';
import { hasEnded, timeLeft } from './session-time.ts';

describe('timeLeft', () => {
  const now = Date.parse('2030-01-01T10:00:00Z');
  it('says how long the session has left', () => {
    expect(timeLeft('2030-01-01T17:58:30Z', now)).toBe('7 h 58 min left');
    expect(timeLeft('2030-01-01T10:12:00Z', now)).toBe('12 min left');
    expect(timeLeft('2030-01-01T10:00:20Z', now)).toBe('less than a minute left');
    expect(timeLeft('2030-01-01T10:00:00Z', now)).toBeUndefined();
    expect(timeLeft(undefined, now)).toBeUndefined();
    expect(timeLeft('garbage', now)).toBeUndefined();
  });
  it('knows when it ended', () => {
    expect(hasEnded('2030-01-01T09:59:59Z', now)).toBe(true);
    expect(hasEnded('2030-01-01T10:00:01Z', now)).toBe(false);
    expect(hasEnded(undefined, now)).toBe(false);
  });
});
