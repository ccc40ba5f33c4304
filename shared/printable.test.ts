import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasUnsafeCharacter, printable, printableJson } from './printable.ts';
import { containsUnsafe } from '../test/fixtures/printable.ts';

/** Any character a terminal may act on, or that reorders or breaks the printed line. */
const UNSAFE = { test: (text: string) => containsUnsafe(text) };

describe('printable', () => {
  it('escapes control characters, bidi controls and line separators as \\u escapes, keeping the rest', () => {
    expect(printable('red\u001b[31m name\u0000')).toBe('red\\u001b[31m name\\u0000');
    expect(printable('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd');
    expect(printable('\u009b2J \u202egnp.exe \u2028 \u007f')).toBe('\\u009b2J \\u202egnp.exe \\u2028 \\u007f');
    expect(printable('payments-prod ✓ Zürich 日本 \\ "quoted"')).toBe('payments-prod ✓ Zürich 日本 \\ "quoted"');
  });

  it('for any text, the printed form holds no unsafe character, and safe text is left as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = printable(text);
        expect(UNSAFE.test(shown)).toBe(false);
        expect(hasUnsafeCharacter(text)).toBe(UNSAFE.test(text));
        if (!UNSAFE.test(text)) expect(shown).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('for any text mixed with control characters, nothing unsafe survives', () => {
    const unsafe = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u061c', '\u200f', '\u2028', '\u202e', '\u2067');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), unsafe)), (parts) => {
        expect(UNSAFE.test(printable(parts.join('')))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('printableJson is the same JSON value, with C1 and bidi controls escaped too', () => {
    const value = { name: 'x\u001b\u009b\u202e\u2028y', n: 1 };
    const text = printableJson(value, 2);
    expect(UNSAFE.test(text.replace(/\n/g, ''))).toBe(false);
    expect(JSON.parse(text)).toEqual(value);
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const shown = printableJson(json);
        expect(UNSAFE.test(shown)).toBe(false);
        expect(JSON.parse(shown)).toEqual(JSON.parse(JSON.stringify(json)));
      }),
      { numRuns: 500 },
    );
  });
});
