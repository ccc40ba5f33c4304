/**
 * The README and docs/ name files by path, so that a reader can open them ("where is X?"). A path
 * that no longer exists after a move sends the reader nowhere: every backticked repository path in
 * them must exist, except the few that name a file on purpose before it exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TOP_FOLDERS = ['backend', 'extension', 'web', 'shared', 'scripts', 'test', 'schema', 'deploy', 'bin', 'docs'];
const PATH = new RegExp(`\`((?:${TOP_FOLDERS.join('|')})/[A-Za-z0-9_./-]+)\``, 'g');

/** Paths named though they do not exist: a placeholder, a proposal, a folder the text says is gone. */
const NAMED_ON_PURPOSE = new Set([
  'README.md test/bench/NAME.ts',
  'docs/alternative-broker.md backend/broker/oidc-broker.ts',
  'docs/architecture.md backend/policy/',
]);

function documents(): string[] {
  return [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
}

describe('paths named in the README and docs/', () => {
  it.each(documents())('%s names only files and folders that exist', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    const missing = [...text.matchAll(PATH)]
      .map((match) => (match[1] ?? '').replace(/[.,:]+$/, ''))
      .filter((path) => !existsSync(join(ROOT, path)) && !NAMED_ON_PURPOSE.has(`${document} ${path}`));
    expect([...new Set(missing)]).toEqual([]);
  });
});
