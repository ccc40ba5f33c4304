/** Test helpers for any shared/ test. */

/**
 * Independent oracle for the characters shared/printable.ts must never let through: C0 controls,
 * DEL, C1 controls, U+2028/2029 and the bidirectional-text controls. `allowLineBreaks` exempts
 * "\n" (for multi-line output checked as a whole).
 */
export function containsUnsafe(text: string, allowLineBreaks = false): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0)!;
    if (allowLineBreaks && char === '\n') return false;
    return (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      [0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}
