/**
 * Parses one YAML or JSON file and keeps the node positions, so any problem found later in the
 * parsed value can point at the line and column it came from.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { extensionOf } from './file-kinds.ts';
import type { PolicyFile, Position, Problem, Severity } from './problem.ts';

export type PathSegment = string | number;

export interface SourceDocument {
  file: string;
  /** The plain JavaScript value of the file (null for an empty file). */
  value: unknown;
  /** Where the node at `path` starts (its key with part 'key'); the nearest existing ancestor otherwise. */
  position(path: readonly PathSegment[], part?: 'key' | 'value'): Position;
  problem(path: readonly PathSegment[], severity: Severity, message: string, part?: 'key' | 'value'): Problem;
}

export type ParseResult = { document: SourceDocument; problems: Problem[] } | { document?: undefined; problems: Problem[] };

const MAX_ALIAS_COUNT = 100;

export function parseSource(file: PolicyFile): ParseResult {
  const content = file.content.startsWith('\uFEFF') ? file.content.slice(1) : file.content;
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, content.length)));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const problemAt = (offset: number, severity: Severity, message: string): Problem => ({
    file: file.path,
    ...at(offset),
    severity,
    message,
  });

  const documents = parseAllDocuments(content, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  const problems: Problem[] = [];
  for (const document of list) {
    for (const error of document.errors) problems.push(problemAt(error.pos[0], 'error', firstLine(error.message)));
    for (const warning of document.warnings) problems.push(problemAt(warning.pos[0], 'warning', firstLine(warning.message)));
  }
  if (list.length > 1) {
    const second = list[1] as Document;
    problems.push(problemAt(second.range?.[0] ?? 0, 'error', 'only one document per file is allowed (found "---")'));
  }
  if (problems.some((problem) => problem.severity === 'error')) return { problems };

  const document = list[0];
  let value: unknown = null;
  if (document) {
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      return { problems: [...problems, problemAt(0, 'error', `cannot read file: ${errorMessage(error)}`)] };
    }
  }
  if (extensionOf(file.path) === '.json') {
    const strict = parseStrictJson(content);
    if ('error' in strict) return { problems: [...problems, problemAt(strict.offset, 'error', strict.error)] };
    value = strict.value;
  }

  const position = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Position =>
    at(document ? offsetOf(document, path, part) : 0);
  return {
    problems,
    document: {
      file: file.path,
      value,
      position,
      problem: (path, severity, message, part) => ({ file: file.path, ...position(path, part), severity, message }),
    },
  };
}

/** JSON files must be JSON, not the wider YAML that happens to parse them. */
function parseStrictJson(content: string): { value: unknown } | { error: string; offset: number } {
  try {
    return { value: JSON.parse(content) as unknown };
  } catch (error) {
    const message = errorMessage(error);
    const offset = /position (\d+)/.exec(message)?.[1];
    return { error: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, offset: offset ? Number(offset) : 0 };
  }
}

function offsetOf(document: Document, path: readonly PathSegment[], part: 'key' | 'value'): number {
  let node: unknown = document.contents;
  let offset = startOf(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) return offset;
      const keyStart = startOf(pair.key);
      if (last && part === 'key' && keyStart !== undefined) return keyStart;
      node = pair.value;
      offset = startOf(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else {
      return offset;
    }
    if (node === null || node === undefined) return offset;
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
