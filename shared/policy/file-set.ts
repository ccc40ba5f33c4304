/**
 * Checks on the set of files as a whole, before any file is parsed: what would make reading the
 * files unsafe or pointless — too many, too large (limits.ts), names with control characters. Any
 * problem here stops the load: nothing is parsed and nothing else is reported.
 */
import { IAM_POLICY_SIZE_URL, MAX_INLINE_POLICY_CHARS, MAX_MANAGED_POLICY_CHARS } from '../iam/limits.ts';
import { hasUnsafeCharacter, UNSAFE_CHARACTERS_RULE } from '../printable.ts';
import { classifyFile, type FileKind } from './file-kinds.ts';
import { MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from './limits.ts';
import type { PolicyFile, Problem } from './problem.ts';

export function fileSetProblems(files: readonly PolicyFile[]): Problem[] {
  if (files.length > MAX_FILES) {
    const first = [...files].map((file) => file.path).sort()[MAX_FILES]!;
    const count = thousands(MAX_FILES);
    return [
      fileProblem(
        first,
        `more than ${count} files in the policy folder; Switchyard reads at most ${count} (this file is number ${thousands(MAX_FILES + 1)})`,
      ),
    ];
  }
  const problems: Problem[] = [];
  let total = 0;
  let largest: { path: string; size: number } | undefined;
  for (const file of files) {
    if (hasUnsafeCharacter(file.path)) problems.push(fileProblem(file.path, `file name ${UNSAFE_CHARACTERS_RULE}; rename the file`));
    const size = sizeOf(file);
    const tooLarge = fileSizeProblem(file.path, size);
    if (tooLarge) problems.push(tooLarge);
    total += size;
    if (!largest || size > largest.size) largest = { path: file.path, size };
  }
  if (problems.length === 0 && total > MAX_TOTAL_BYTES && largest) {
    problems.push(
      fileProblem(
        largest.path,
        `the policy files add up to ${describeBytes(total)}, over the ${describeBytes(MAX_TOTAL_BYTES, true)} allowed for all files together; this is the largest`,
      ),
    );
  }
  return problems;
}

/** The file's size problem, if it is over MAX_FILE_BYTES, with what can be done about a file of its kind. */
export function fileSizeProblem(path: string, size: number): Problem | undefined {
  if (size <= MAX_FILE_BYTES) return undefined;
  return fileProblem(
    path,
    `file is ${describeBytes(size)}; a policy file may be at most ${describeBytes(MAX_FILE_BYTES, true)}: ${TOO_LARGE[classifyFile(path)]}`,
  );
}

const TOO_LARGE: Record<FileKind, string> = {
  accounts: 'split the accounts over several files under accounts/ (accounts/*.yaml)',
  assignments: 'split the assignments over several files under assignments/ (assignments/*.yaml)',
  eligibility: 'split the eligibility entries over several files under eligibility/ (eligibility/*.yaml)',
  'permission-set': 'a permission set file describes one role and is a few kilobytes at most; check that this is the file you meant',
  'policy-document':
    `a policy document this large cannot be used: it becomes the role's inline policy, and IAM allows ${thousands(MAX_INLINE_POLICY_CHARS)} characters of inline policy per role; ` +
    `split the permissions into customer managed policies (a customer managed policy may have ${thousands(MAX_MANAGED_POLICY_CHARS)} characters) ` +
    `created in the accounts and listed by ARN in managedPolicies (${IAM_POLICY_SIZE_URL})`,
  settings: 'settings.yaml holds a few options; check that this is the file you meant',
  ignored: 'Switchyard does not read this file, but it is pushed and read back with the policy: move it out of the policy folder',
  unknown: 'Switchyard does not read this file, but it is pushed and read back with the policy: move it out of the policy folder',
};

/**
 * For readers, from a listing with sizes (stat, S3 ListObjectsV2): the paths to read. None when the
 * listing is over MAX_FILES or MAX_TOTAL_BYTES, else all but the files over MAX_FILE_BYTES. Give
 * the others to the loader unread, as { path, content: '', size }: it refuses them by size.
 */
export function filesToRead(listing: readonly { path: string; size: number }[]): Set<string> {
  const total = listing.reduce((sum, entry) => sum + entry.size, 0);
  if (listing.length > MAX_FILES || total > MAX_TOTAL_BYTES) return new Set();
  return new Set(listing.filter((entry) => entry.size <= MAX_FILE_BYTES).map((entry) => entry.path));
}

/** Bytes as stored: the size the reader gave, else the content's length in UTF-8. */
export function sizeOf(file: PolicyFile): number {
  return file.size ?? utf8Length(file.content);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      bytes += next >= 0xdc00 && next <= 0xdfff ? 4 : 3;
    } else bytes += 3;
  }
  return bytes;
}

/** "6.2 MiB (6,532,900 bytes)"; exact powers ("1 MiB (1,048,576 bytes)") when `round`. */
function describeBytes(bytes: number, round = false): string {
  const mib = bytes / 1048576;
  return `${round ? String(mib) : mib.toFixed(1)} MiB (${thousands(bytes)} bytes)`;
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

function fileProblem(file: string, message: string): Problem {
  return { file, line: 1, column: 1, severity: 'error', message };
}
