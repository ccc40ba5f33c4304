/** What the loader reads and what it reports about it. */
import { printable } from '../printable.ts';

/**
 * One file of the policy set; `path` is relative to the policy root, with "/" separators. Readers
 * that have the bytes build it with decodePolicyFile (decode-policy-file.ts), which fills all fields.
 */
export interface PolicyFile {
  path: string;
  /** The text, without a byte order mark. When `textProblem` is set: the bytes decoded as UTF-8 as well as possible. */
  content: string;
  /** Why the bytes are not usable text (UTF-16, binary, not UTF-8); reported if the loader reads the file, which it then does not parse. */
  textProblem?: Problem;
  /**
   * Size in bytes as stored, when the reader knows it (otherwise the loader counts `content` as
   * UTF-8). A reader leaves files it must not read (see filesToRead in file-set.ts) with empty
   * `content` and their `size`; the loader then refuses them by their size.
   */
  size?: number;
  /** The file exactly as stored, when the reader kept it: a push uploads these bytes, not `content`. */
  bytes?: Uint8Array;
}

export type Severity = 'error' | 'warning';

/** A finding about a policy file. Lines and columns count from 1. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

/** `file:line:column: severity: message`, one line; file and message are escaped (see printable). */
export function formatProblem(problem: Problem): string {
  return printable(`${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`);
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
