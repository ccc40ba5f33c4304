/**
 * Reads a local policy folder (what an admin keeps in git) as the loader's files. Files are read as
 * bytes and decoded by decodePolicyFile, so UTF-16 or binary files are named, not garbled.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { decodePolicyFile } from '../../shared/policy/decode-policy-file.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';

/** Every file under `dir` except hidden ones (".git", ".DS_Store"), paths relative with "/" separators. */
export async function readPolicyDir(dir: string): Promise<PolicyFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && !isHidden(relative(dir, join(entry.parentPath, entry.name))));
  const loaded = await Promise.all(
    files.map(async (entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return decodePolicyFile(relative(dir, absolute).split(sep).join('/'), await readFile(absolute));
    }),
  );
  return loaded.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isHidden(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.'));
}
