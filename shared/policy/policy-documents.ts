/**
 * Policy documents (JSON) referenced by permission sets: found by path relative to the referring
 * file, parsed once, checked once; problems are reported against the document's own file.
 */
import { IAM_POLICY_NAMES_URL } from '../iam/limits.ts';
import { disallowedCharacter } from '../iam/policy-document.ts';
import { extensionOf } from './file-kinds.ts';
import type { PolicyFile, Problem } from './problem.ts';
import { withPath } from './schema-problems.ts';
import { parseSource } from './source-document.ts';

export type PolicyDocumentLookup = { status: 'missing' } | { status: 'invalid' } | { status: 'ok'; value: Record<string, unknown> };

export class PolicyDocuments {
  private readonly files = new Map<string, PolicyFile>();
  private readonly parsed = new Map<string, PolicyDocumentLookup>();
  private readonly referenced = new Set<string>();

  constructor(
    files: readonly PolicyFile[],
    private readonly problems: Problem[],
  ) {
    for (const file of files) this.files.set(file.path, file);
  }

  /** Parses and checks a document whether or not anything refers to it. */
  check(path: string): PolicyDocumentLookup {
    const known = this.parsed.get(path);
    if (known) return known;
    const file = this.files.get(path);
    const result = file ? this.parse(file) : ({ status: 'missing' } as const);
    this.parsed.set(path, result);
    return result;
  }

  lookup(path: string): PolicyDocumentLookup {
    this.referenced.add(path);
    return this.check(path);
  }

  isReferenced(path: string): boolean {
    return this.referenced.has(path);
  }

  private parse(file: PolicyFile): PolicyDocumentLookup {
    if (extensionOf(file.path) !== '.json') {
      this.problems.push({ file: file.path, line: 1, column: 1, severity: 'error', message: 'policy documents must be JSON files (.json)' });
      return { status: 'invalid' };
    }
    const { document, problems } = parseSource(file);
    this.problems.push(...problems);
    if (!document || problems.some((problem) => problem.severity === 'error')) return { status: 'invalid' };
    const value = document.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push(document.problem([], 'error', 'a policy document must be a JSON object with "Version" and "Statement"'));
      return { status: 'invalid' };
    }
    const record = value as Record<string, unknown>;
    if (!('Statement' in record)) {
      this.problems.push(document.problem([], 'error', 'policy document has no "Statement"'));
      return { status: 'invalid' };
    }
    const refused = disallowedCharacter(record);
    if (refused) {
      this.problems.push(
        document.problem(
          refused.path,
          'error',
          withPath(
            refused.path,
            `character ${refused.codePoint} is not allowed: IAM policy documents may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF (${IAM_POLICY_NAMES_URL})`,
          ),
          refused.part,
        ),
      );
      return { status: 'invalid' };
    }
    if (record.Version !== '2012-10-17') {
      this.problems.push(
        document.problem(['Version'], 'warning', 'policy document should say "Version": "2012-10-17" (older versions disable policy variables)'),
      );
    }
    return { status: 'ok', value: record };
  }
}

/**
 * Resolves `reference` against the folder of `fromFile`; a leading "/" means the policy root.
 * Undefined when the path leaves the policy root.
 */
export function resolveReference(fromFile: string, reference: string): string | undefined {
  const base = reference.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
  const parts = [...base];
  for (const segment of reference.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join('/');
}
