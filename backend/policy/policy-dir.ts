/** Reads a local policy folder (what an admin keeps in git) as the loader's {path, content} files. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PolicyFile } from '../../shared/policy/problem.ts';

/** Every file under `dir` except hidden ones (".git", ".DS_Store"), paths relative with "/" separators. */
export async function readPolicyDir(dir: string): Promise<PolicyFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && !isHidden(relative(dir, join(entry.parentPath, entry.name))));
  const loaded = await Promise.all(
    files.map(async (entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return { path: relative(dir, absolute).split(sep).join('/'), content: await readFile(absolute, 'utf8') };
    }),
  );
  return loaded.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isHidden(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.'));
}
