/**
 * The popup loads no zod. Its JavaScript is parsed on every open (npm run bench -- popup measures it), and
 * zod would more than double it. The API contract's schemas (shared/api/) and the message schemas
 * (messages.ts) are zod, so the popup imports only their types; the background checks what crosses.
 * `import type` is erased; any other import, even `import { type X }`, keeps the module and its zod.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every package a module loads at run time, following its relative imports (static and dynamic). */
function packagesLoadedBy(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(ROOT, file), 'utf8');
    const specifiers = [
      ...[...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((match) => match[1]!),
      ...[...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]!),
    ];
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(relative(ROOT, resolve(ROOT, dirname(file), specifier)));
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return { packages, files };
}

describe('the popup bundle', () => {
  it('finds the packages a module loads (the background loads zod)', () => {
    const background = packagesLoadedBy('extension/background/index.ts');
    expect(background.packages).toContain('zod');
    expect(background.files).toContain('shared/api/routes.ts');
  });

  it('loads no zod, and none of the contract or message schemas', () => {
    const popup = packagesLoadedBy('extension/popup/main.tsx');
    expect(popup.files.size).toBeGreaterThan(10);
    expect(popup.packages).toContain('preact');
    expect([...popup.packages]).not.toContain('zod');
    expect([...popup.files].filter((file) => file.startsWith('shared/api/') || file === 'extension/messages.ts')).toEqual([]);
  });
});
