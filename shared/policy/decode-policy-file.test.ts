import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePolicyFile } from './decode-policy-file.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { formatProblem } from './problem.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string, bom = true) => {
  const bytes = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  if (bom) bytes.set([0xff, 0xfe]);
  for (let index = 0; index < text.length; index++) {
    bytes[(bom ? 2 : 0) + index * 2] = text.charCodeAt(index) & 0xff;
    bytes[(bom ? 2 : 0) + index * 2 + 1] = text.charCodeAt(index) >> 8;
  }
  return bytes;
};
const swap = (bytes: Uint8Array) => bytes.map((_, index) => bytes[index ^ 1] ?? 0);
const shown = (path: string, bytes: Uint8Array) => {
  const file = decodePolicyFile(path, bytes);
  return file.textProblem ? formatProblem(file.textProblem) : file.content;
};
const SAVE_AS_UTF8 = 'save it as UTF-8 (Windows PowerShell 5: Out-File -Encoding utf8)';
const ACCOUNTS = 'accounts:\r\n  - id: "012345678901"\r\n    name: payments-prod\r\n';

describe('decodePolicyFile', () => {
  it('reads UTF-8 as it is, and drops a UTF-8 byte order mark', () => {
    expect(decodePolicyFile('accounts.yaml', utf8('name: Zürich ✓\n'))).toEqual({ path: 'accounts.yaml', content: 'name: Zürich ✓\n', size: 18 });
    expect(decodePolicyFile('accounts.yaml', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a: 1\n')]))).toEqual({
      path: 'accounts.yaml',
      content: 'a: 1\n',
      size: 8,
    });
    expect(decodePolicyFile('empty.yaml', new Uint8Array())).toEqual({ path: 'empty.yaml', content: '', size: 0 });
  });

  it('leaves a file over the size limit undecoded, with its size, for the loader to refuse', () => {
    expect(decodePolicyFile('accounts.yaml', new Uint8Array(MAX_FILE_BYTES + 1))).toEqual({
      path: 'accounts.yaml',
      content: '',
      size: MAX_FILE_BYTES + 1,
    });
  });

  it('names UTF-16 with a byte order mark, little- or big-endian (PowerShell 5 writes the first)', () => {
    expect(shown('accounts.yaml', utf16le(ACCOUNTS))).toBe(`accounts.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`);
    expect(shown('accounts.yaml', swap(utf16le(ACCOUNTS)))).toBe(`accounts.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`);
  });

  it('recognises UTF-16 without a byte order mark by its NUL bytes', () => {
    expect(shown('settings.yaml', utf16le('discoverAccounts: true\n', false))).toBe(`settings.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`);
    expect(shown('settings.yaml', swap(utf16le('discoverAccounts: true\n', false)))).toBe(
      `settings.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`,
    );
  });

  it('names UTF-32 with a byte order mark', () => {
    expect(shown('a.yaml', new Uint8Array([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).toBe(`a.yaml:1:1: error: file is UTF-32 text; ${SAVE_AS_UTF8}`);
    expect(shown('a.yaml', new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))).toBe(`a.yaml:1:1: error: file is UTF-32 text; ${SAVE_AS_UTF8}`);
  });

  it('says "not a text file" once for binary data, where the first NUL byte is', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00, 0x3a, 0x5b]);
    expect(shown('accounts.yaml', png)).toBe('accounts.yaml:3:1: error: not a text file (it holds NUL bytes); policy files are UTF-8 text');
    expect(shown('a.yaml', new Uint8Array([...utf8('a: 1\nb: 2\n'), 0, 1, 2, 3, 0xfe, 0xff]))).toBe(
      'a.yaml:3:1: error: not a text file (it holds NUL bytes); policy files are UTF-8 text',
    );
  });

  it('says "not a text file" for bytes that are not UTF-8, where the first bad byte is (e.g. Latin-1)', () => {
    const latin1 = new Uint8Array([...utf8('accounts:\n  - name: Z'), 0xfc, ...utf8('rich\n')]);
    expect(shown('accounts.yaml', latin1)).toBe(`accounts.yaml:2:12: error: not a text file: not valid UTF-8 here; ${SAVE_AS_UTF8}`);
  });

  it('for any text, UTF-8 bytes decode back to the same text (without a leading byte order mark)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!text.includes('\u0000'));
        const file = decodePolicyFile('x.yaml', utf8(text));
        expect(file.textProblem).toBeUndefined();
        expect(file.content).toBe(text.replace(/^\uFEFF/, ''));
      }),
      { numRuns: 1000 },
    );
  });

  it('for any non-empty text, its UTF-16 form with a byte order mark is named UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.boolean(), (text, bigEndian) => {
        fc.pre(!text.startsWith('\u0000'));
        const bytes = bigEndian ? swap(utf16le(text)) : utf16le(text);
        expect(decodePolicyFile('x.yaml', bytes).textProblem?.message).toContain('UTF-16');
      }),
      { numRuns: 500 },
    );
  });
});
