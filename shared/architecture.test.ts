/**
 * shared/ stays layered: no import cycle between files, and none between its folders (policy/,
 * plan/, iam/, api/; each top-level file counts as its own node). A cycle between folders means a
 * module is in the wrong folder: move it down (IAM names and documents live in iam/) rather than
 * importing upwards. Type-only imports count too: they tie the folders together just the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SHARED = dirname(fileURLToPath(import.meta.url));

/** Every non-test .ts file under shared/, relative with "/" separators -> the shared files it imports. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(SHARED, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(sep).join('/'))
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(join(SHARED, file), 'utf8');
    const targets = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)]
      .map((match) =>
        relative(SHARED, resolve(SHARED, dirname(file), match[1]!))
          .split(sep)
          .join('/'),
      )
      .filter((target) => !target.startsWith('..'));
    graph.set(file, targets);
  }
  return graph;
}

/** "policy/load-policy.ts" -> "policy/"; a top-level file is its own node. */
function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash + 1);
}

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    graph.set(from, edges);
  }
  return new Map([...graph].map(([node, edges]) => [node, [...edges].sort()]));
}

/** Every cycle found by depth-first search, each as a path "a -> b -> a". */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]) => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node, [node]);
  return found;
}

describe('shared/ import structure', () => {
  const files = importGraph();

  it('reads the imports it checks', () => {
    expect(files.get('policy/load-policy.ts')).toContain('policy/accounts.ts');
    expect(folderGraph(files).get('plan/')).toContain('policy/');
  });

  it('has no import cycle between files', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('has no import cycle between folders (policy/ and plan/ do not import each other)', () => {
    expect(cycles(folderGraph(files))).toEqual([]);
  });
});
