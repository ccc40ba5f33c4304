/** Checks a parsed file against its zod schema and turns every issue into a located problem. */
import type { z } from 'zod';
import type { Problem } from './problem.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';

export function checkShape<T>(schema: z.ZodType<T>, document: SourceDocument): { data?: T; problems: Problem[] } {
  const value = document.value === null || document.value === undefined ? {} : document.value;
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, problems: [] };
  const problems = result.error.issues.flatMap((issue) => issueProblems(issue, [], value, document));
  return { problems };
}

type Issue = z.core.$ZodIssue;

function issueProblems(issue: Issue, prefix: PathSegment[], root: unknown, document: SourceDocument): Problem[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  switch (issue.code) {
    case 'invalid_union': {
      const branch = issue.errors.find((errors) => errors.every((inner) => !isRootTypeMismatch(inner)));
      if (branch) return branch.flatMap((inner) => issueProblems(inner, path, root, document));
      return [document.problem(path, 'error', withPath(path, issue.message))];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => document.problem([...path, key], 'error', withPath(path, `unknown key "${key}"`), 'key'));
    case 'invalid_key': {
      const message = issue.issues[0]?.message ?? issue.message;
      const key = String(path[path.length - 1]);
      const shown = key.length > 40 ? `${key.slice(0, 37)}...` : key;
      return [document.problem(path, 'error', withPath(path.slice(0, -1), `"${shown}": ${message}`), 'key')];
    }
    case 'invalid_type':
      if (valueAt(root, path) === undefined && path.length > 0) {
        const parent = path.slice(0, -1);
        return [document.problem(parent, 'error', withPath(parent, `missing required key "${String(path[path.length - 1])}"`))];
      }
      return [document.problem(path, 'error', withPath(path, issue.message))];
    default:
      return [document.problem(path, 'error', withPath(path, issue.message))];
  }
}

function isRootTypeMismatch(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return value;
}

/** "accounts[2].tags.env" */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

export function withPath(path: readonly PathSegment[], message: string): string {
  return path.length === 0 ? message : `${formatPath(path)}: ${message}`;
}
