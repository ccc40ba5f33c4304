/**
 * Parses one YAML or JSON file and keeps the node positions, so any problem found later in the
 * parsed value can point at the line and column it came from.
 */
import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { textProblemOf } from './decode-policy-file.ts';
import { extensionOf } from './file-kinds.ts';
import { fileSizeProblem, sizeOf } from './file-set.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
import { MAX_ALIASES, MAX_NESTING_DEPTH, NESTED_TOO_DEEPLY } from './limits.ts';
import type { PolicyFile, Position, Problem, Severity } from './problem.ts';
import { errorText } from '../error-text.ts';

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
  // Too large, UTF-16, binary data: one problem, not seconds of parsing or a page of parser complaints.
  const notReadable = fileSizeProblem(file.path, sizeOf(file)) ?? textProblemOf(file);
  if (notReadable) return { problems: [notReadable] };
  const content = file.content.startsWith('\uFEFF') ? file.content.slice(1) : file.content;
  const at = positionFinder(content);
  const problemAt = (offset: number, severity: Severity, message: string): Problem => ({
    file: file.path,
    ...at(offset),
    severity,
    message,
  });

  if (extensionOf(file.path) === '.json') {
    // JSON files must be JSON, not the wider YAML that also parses them; report JSON's own error.
    const syntax = findJsonSyntaxError(content);
    if (syntax) return { problems: [problemAt(syntax.offset, 'error', syntax.message)] };
  }
  // parseAllDocuments in two steps, to check depth and aliases in between: the parser builds its
  // concrete syntax tree with a stack of its own, but composing the document (and toJS) recurse
  // per level, and resolving aliases costs time quadratic in their number.
  const tokens = Array.from(new Parser().parse(content));
  const structure = structureProblem(tokens);
  if (structure) return { problems: [problemAt(structure.offset, 'error', structure.message)] };
  // Repeated keys are found by keyProblems: yaml's own check (uniqueKeys) compares every pair of keys.
  const list = Array.from(new Composer({ uniqueKeys: false, logLevel: 'error' }).compose(tokens));
  const isJson = extensionOf(file.path) === '.json';
  const problems: Problem[] = [];
  let yamlFailed = false;
  for (const document of list) {
    for (const error of document.errors) {
      yamlFailed = true;
      // In valid JSON only a repeated key matters; other YAML complaints are YAML's own corners.
      if (!isJson || error.code === 'DUPLICATE_KEY') problems.push(problemAt(error.pos[0], 'error', firstLine(error.message)));
    }
    if (!isJson) for (const warning of document.warnings) problems.push(problemAt(warning.pos[0], 'warning', firstLine(warning.message)));
  }
  if (list.length > 1) {
    const second = list[1] as Document;
    problems.push(problemAt(second.range?.[0] ?? 0, 'error', 'only one document per file is allowed (found "---")'));
  }
  if (problems.some((problem) => problem.severity === 'error')) return { problems };

  const document = yamlFailed ? undefined : list[0];
  if (document) {
    const keys = keyProblems(document);
    if (keys.length > 0) return { problems: [...problems, ...keys.map(({ offset, message }) => problemAt(offset, 'error', message))] };
  }
  let value: unknown = null;
  if (isJson) {
    value = JSON.parse(content) as unknown;
    // Valid JSON that YAML did not take has no positions, but still no "__proto__" key.
    if (!document && hasPrototypeKey(value)) return { problems: [...problems, problemAt(0, 'error', PROTOTYPE_KEY_MESSAGE)] };
  } else if (document) {
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      return { problems: [...problems, problemAt(0, 'error', `cannot read file: ${errorText(error)}`)] };
    }
  }

  const offsetAt = document ? offsetFinder(document) : () => 0;
  const position = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Position => at(offsetAt(path, part));
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

const TOO_MANY_ALIASES = `more than ${MAX_ALIASES.toLocaleString('en-US')} aliases (*name) in one file; write the values out, or split the file`;

/**
 * In the concrete syntax tree, the first collection nested deeper than MAX_NESTING_DEPTH (flow and
 * block alike, keys included) or the first alias past MAX_ALIASES: both make the later, recursive
 * or quadratic, stages too costly. Walks without recursion, in document order.
 */
function structureProblem(tokens: readonly CST.Token[]): { offset: number; message: string } | undefined {
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of [...tokens].reverse()) if (token.type === 'document' && token.value) pending.push({ token: token.value, depth: 0 });
  let aliases = 0;
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    if (token.type === 'alias' && ++aliases > MAX_ALIASES) return { offset: token.offset, message: TOO_MANY_ALIASES };
    if (!CST.isCollection(token)) continue;
    if (depth + 1 > MAX_NESTING_DEPTH)
      return { offset: token.type === 'flow-collection' ? token.start.offset : token.offset, message: NESTED_TOO_DEEPLY };
    for (const item of [...token.items].reverse()) {
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
      if (item.key) pending.push({ token: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}

const PROTOTYPE_KEY = '__proto__';
const PROTOTYPE_KEY_MESSAGE = `key "${PROTOTYPE_KEY}" is not allowed (in JavaScript it names the object's prototype)`;

const DUPLICATE_KEY_MESSAGE = 'Map keys must be unique';

function hasPrototypeKey(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node) && Object.hasOwn(node, PROTOTYPE_KEY)) return true;
    pending.push(...Object.values(node));
  }
  return false;
}

/**
 * Mapping keys that must not be (YAML or JSON, any depth), in document order:
 * - a key repeated in its map, compared as JavaScript object keys (yaml's own check compares every
 *   pair of keys, and tells 1 from "1", which an object does not);
 * - "__proto__", which would be dropped, or set the prototype of an object, wherever a value is
 *   copied by assignment (zod's records do that).
 * Walks without recursion.
 */
function keyProblems(document: Document): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  const checkKey = (key: unknown, seen?: Set<string>) => {
    if (!isScalar(key)) return;
    // As the key of a JavaScript object: 1 and "1", true and "true" would be one key, the last winning.
    const text = String(key.value);
    if (text === PROTOTYPE_KEY) found.push({ offset: startOf(key) ?? 0, message: PROTOTYPE_KEY_MESSAGE });
    else if (seen?.has(text)) found.push({ offset: startOf(key) ?? 0, message: DUPLICATE_KEY_MESSAGE });
    seen?.add(text);
  };
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        checkKey(pair.key, seen);
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        // A pair in a flow sequence ([a: 1]) is a map of its own.
        if (isPair(item)) {
          checkKey(item.key);
          pending.push(item.key, item.value);
        } else pending.push(item);
      }
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Offset -> 1-based line and column (columns count UTF-16 code units, as editors do). */
function positionFinder(content: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let index = 0; index < content.length; index++) if (content[index] === '\n') lineStarts.push(index + 1);
  return (offset) => {
    const clamped = Math.max(0, Math.min(offset, content.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - lineStarts[low]! + 1 };
  };
}

/**
 * Finds where a path starts. Keys of a map and aliases are looked up once and remembered, so a
 * file with tens of thousands of problems in one map is located in linear time, not quadratic.
 */
function offsetFinder(document: Document): (path: readonly PathSegment[], part: 'key' | 'value') => number {
  const keyIndexes = new WeakMap<object, Map<string, Pair>>();
  const aliases = new WeakMap<object, unknown>();
  const pairFor = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const text = isPair(item) ? keyText(item.key) : undefined;
        if (text !== undefined && !index.has(text)) index.set(text, item);
      }
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  const resolve = (alias: Alias): unknown => {
    if (!aliases.has(alias)) aliases.set(alias, alias.resolve(document));
    return aliases.get(alias);
  };
  return (path, part) => offsetOf(document.contents, path, part, pairFor, resolve);
}

function offsetOf(
  root: unknown,
  path: readonly PathSegment[],
  part: 'key' | 'value',
  pairFor: (map: YAMLMap, key: string) => Pair | undefined,
  resolve: (alias: Alias) => unknown,
): number {
  let node: unknown = root;
  let offset = startOf(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = resolve(node);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = pairFor(node, String(segment));
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
