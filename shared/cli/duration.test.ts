import { describe, expect, it } from 'vitest';
import { parseCliDuration } from './duration.ts';

describe('a duration typed at the command line', () => {
  it('reads hours, minutes and seconds, alone or together, and ISO 8601', () => {
    expect(parseCliDuration('2h')).toBe(7200);
    expect(parseCliDuration('90m')).toBe(5400);
    expect(parseCliDuration('1h30m')).toBe(5400);
    expect(parseCliDuration('1H30M15S')).toBe(5415);
    expect(parseCliDuration('45s')).toBe(45);
    expect(parseCliDuration('PT2H')).toBe(7200);
    expect(parseCliDuration('pt1h30m')).toBe(5400);
  });

  it('refuses bare numbers, zero, other units, units out of order or twice, and empty text', () => {
    for (const text of ['', ' ', '120', '0h', 'PT0S', 'PT', '2d', '2 h', '30m1h', '1h1h', 'h', '-1h', '1.5h', 'P1D', 'two hours'])
      expect(parseCliDuration(text), text).toBeUndefined();
  });
});
