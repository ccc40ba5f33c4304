/**
 * Finds where JSON text stops being JSON. JSON.parse says what is wrong but not always where; this
 * scanner gives the offset so the problem can name a line and column. It also refuses nesting
 * deeper than MAX_NESTING_DEPTH (its own recursion, and everything after it, stay shallow).
 */
import { MAX_NESTING_DEPTH, NESTED_TOO_DEEPLY } from './limits.ts';

export interface JsonSyntaxError {
  offset: number;
  /** The whole message: "invalid JSON: ..." or the nesting limit's. */
  message: string;
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let index = 0;
  const fail = (message: string, prefix = 'invalid JSON: '): never => {
    throw { offset: index, message: `${prefix}${message}` } satisfies JsonSyntaxError;
  };
  const describe = () => (index >= text.length ? 'end of file' : `"${text[index]}"`);
  const skipSpace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index]!)) index++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, index)) index += word.length;
    else fail(`unexpected ${describe()}`);
  };
  const string = () => {
    index++;
    while (index < text.length) {
      const char = text[index]!;
      if (char === '"') {
        index++;
        return;
      }
      if (char === '\\') {
        const next = text[index + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) fail('invalid \\u escape');
          index += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          index += 2;
        } else {
          fail('invalid escape in string');
        }
      } else if (char < ' ') {
        fail('control character in string');
      } else {
        index++;
      }
    }
    fail('unterminated string');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index));
    if (!match) fail(`unexpected ${describe()}`);
    index += match![0].length;
  };
  /** `depth`: collections around this value. */
  const value = (depth: number): void => {
    skipSpace();
    const char = text[index];
    if ((char === '{' || char === '[') && depth >= MAX_NESTING_DEPTH) fail(NESTED_TOO_DEEPLY, '');
    if (char === '{')
      return members('}', depth, () => {
        skipSpace();
        if (text[index] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        string();
        skipSpace();
        if (text[index] !== ':') fail(`expected ":" after the property name, found ${describe()}`);
        index++;
        value(depth + 1);
      });
    if (char === '[') return members(']', depth, () => value(depth + 1));
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    fail(`expected a value, found ${describe()}`);
  };
  const members = (close: string, _depth: number, member: () => void) => {
    index++;
    skipSpace();
    if (text[index] === close) {
      index++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === close) {
        index++;
        return;
      }
      fail(`expected "," or "${close}", found ${describe()}`);
    }
  };

  try {
    value(0);
    skipSpace();
    if (index < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    throw error;
  }
}
