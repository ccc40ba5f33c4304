/**
 * Names come from files, file names and AWS; printed raw, a name can drive the terminal (ESC
 * sequences clear the screen, retitle the window or hide text), end a line early, or reorder what
 * follows it (bidirectional overrides). Such characters are refused in names when the policy is
 * loaded (NO_UNSAFE_CHARACTERS) and escaped wherever text is printed (printable), so a name or
 * path is always shown as one harmless line.
 *
 * Unsafe: C0 controls (U+0000-001F, tab and line breaks included), DEL and C1 controls
 * (U+007F-009F), the line and paragraph separators (U+2028, U+2029) and the bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069).
 */

const UNSAFE_RANGES = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE_GLOBAL = new RegExp(`[${UNSAFE_RANGES}]`, 'g');
const UNSAFE_ANY = new RegExp(`[${UNSAFE_RANGES}]`);

/** Matches text with no unsafe character (for schemas: becomes the JSON Schema `pattern`). */
export const NO_UNSAFE_CHARACTERS = new RegExp(`^[^${UNSAFE_RANGES}]*$`);
/** The same, but tab and line breaks are allowed (free text such as descriptions). */
export const NO_UNSAFE_CHARACTERS_BUT_LINE_BREAKS = new RegExp(
  `^[^${UNSAFE_RANGES.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f')}]*$`,
);

/** What a refused name is told, after "<what> ". */
export const UNSAFE_CHARACTERS_RULE = 'must not contain control characters (such as NUL or ESC) or bidirectional-text controls';

export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE_ANY.test(text);
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every unsafe character written as an escape (\n, \t, \r, else \uXXXX); other text unchanged. */
export function printable(text: string): string {
  return text.replace(UNSAFE_GLOBAL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON.stringify for a terminal: the same JSON value, but the characters JSON leaves raw (DEL, C1,
 * separators, bidi controls) are written as \uXXXX escapes as well. Indentation newlines stay.
 */
export function printableJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? 'null';
  // JSON.stringify already escapes U+0000-001F inside strings; outside strings only its own white space remains.
  return text.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
