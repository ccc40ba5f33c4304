/**
 * From a policy file's bytes to the loader's PolicyFile. Policy files are UTF-8 text; a UTF-8 byte
 * order mark is dropped. UTF-16 and UTF-32 (what Windows PowerShell 5 writes by default), binary
 * data and bytes that are not UTF-8 are named once, as the file's `textProblem`, instead of being
 * handed to the YAML parser as garbage. A file over MAX_FILE_BYTES is not decoded at all (the
 * loader refuses it by `size`). Pure: both the folder reader and the bucket reader call it.
 */
import { MAX_FILE_BYTES } from './limits.ts';
import type { PolicyFile, Position, Problem } from './problem.ts';

const SAVE_AS_UTF8 = 'save it as UTF-8 (Windows PowerShell 5: Out-File -Encoding utf8)';
const NOT_TEXT_NUL = 'not a text file (it holds NUL bytes); policy files are UTF-8 text';

export function decodePolicyFile(path: string, bytes: Uint8Array): PolicyFile {
  const size = bytes.length;
  // Not decoded at all: the loader refuses it by its size.
  if (size > MAX_FILE_BYTES) return { path, content: '', size };
  const lossy = () => new TextDecoder('utf-8').decode(bytes);
  const fail = (message: string, at?: (content: string) => Position): PolicyFile => {
    const content = lossy();
    return { path, content, size, textProblem: { file: path, ...(at?.(content) ?? { line: 1, column: 1 }), severity: 'error', message } };
  };

  const bom = byteOrderMark(bytes);
  if (bom) return fail(`file is ${bom} text; ${SAVE_AS_UTF8}`);
  if (bytes.includes(0)) {
    if (looksLikeUtf16((index) => bytes[index] === 0, bytes.length)) return fail(`file is UTF-16 text; ${SAVE_AS_UTF8}`);
    return fail(NOT_TEXT_NUL, (content) => positionOf(content, content.indexOf('\u0000')));
  }
  try {
    // The default decoder drops a UTF-8 byte order mark.
    return { path, content: new TextDecoder('utf-8', { fatal: true }).decode(bytes), size };
  } catch {
    return fail(`not a text file: not valid UTF-8 here; ${SAVE_AS_UTF8}`, (content) => positionOf(content, content.indexOf('\uFFFD')));
  }
}

/**
 * The same verdict for text that was already decoded as UTF-8 by someone else (a reader that
 * passes strings): NUL characters mean UTF-16 or binary data came through. Undefined when fine.
 */
export function textProblemOf(file: PolicyFile): Problem | undefined {
  if (file.textProblem) return file.textProblem;
  const nul = file.content.indexOf('\u0000');
  if (nul < 0) return undefined;
  const content = file.content;
  // A UTF-16 byte order mark decoded as UTF-8 is two replacement characters; parity is kept.
  if (looksLikeUtf16((index) => content.charCodeAt(index) === 0, content.length)) {
    return { file: file.path, line: 1, column: 1, severity: 'error', message: `file is UTF-16 text; ${SAVE_AS_UTF8}` };
  }
  return { file: file.path, ...positionOf(content, nul), severity: 'error', message: NOT_TEXT_NUL };
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  return undefined;
}

/**
 * UTF-16 of mostly ASCII text (all a policy file holds) has a NUL in every other byte: at odd
 * offsets for little-endian, even ones for big-endian. Looks at the first 4 KiB.
 */
function looksLikeUtf16(isZero: (index: number) => boolean, length: number): boolean {
  const pairs = Math.floor(Math.min(length, 4096) / 2);
  if (pairs < 2) return false;
  let even = 0;
  let odd = 0;
  for (let pair = 0; pair < pairs; pair++) {
    if (isZero(pair * 2)) even++;
    if (isZero(pair * 2 + 1)) odd++;
  }
  const mostly = (count: number) => count >= pairs * 0.6;
  const rarely = (count: number) => count <= pairs * 0.1;
  return (mostly(odd) && rarely(even)) || (mostly(even) && rarely(odd));
}

function positionOf(content: string, offset: number): Position {
  const before = content.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}
