/**
 * Checks on the set of files as a whole, before any file is parsed: what would make reading the
 * files unsafe or pointless. Any problem here stops the load (nothing else is reported).
 */
import { hasUnsafeCharacter, UNSAFE_CHARACTERS_RULE } from '../printable.ts';
import type { PolicyFile, Problem } from './problem.ts';

export function fileSetProblems(files: readonly PolicyFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const file of files) {
    if (hasUnsafeCharacter(file.path)) problems.push(fileProblem(file.path, `file name ${UNSAFE_CHARACTERS_RULE}; rename the file`));
  }
  return problems;
}

function fileProblem(file: string, message: string): Problem {
  return { file, line: 1, column: 1, severity: 'error', message };
}
