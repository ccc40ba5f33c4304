/**
 * Reads a local policy folder (what an admin keeps in git) as the loader's files. Hidden files and
 * folders (".git", ".DS_Store") are neither entered nor counted. The folder is listed and sized
 * first (stat) and read only within the limits of shared/policy/limits.ts: listing stops one file
 * past MAX_FILES, a file over MAX_FILE_BYTES is never read, and nothing is read when the files add
 * up to more than MAX_TOTAL_BYTES; such files come back empty with their size, and the loader
 * refuses them. Files are read as bytes and decoded by decodePolicyFile, so UTF-16 or binary files
 * are named, not garbled.
 */
import { opendir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePolicyFile } from '../../shared/policy/decode-policy-file.ts';
import { filesToRead } from '../../shared/policy/file-set.ts';
import { MAX_FILES } from '../../shared/policy/limits.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';

/** Paths relative to `dir` with "/" separators, sorted. */
export async function readPolicyDir(dir: string): Promise<PolicyFile[]> {
  const paths = await listFiles(dir);
  const listing = await Promise.all(paths.map(async (path) => ({ path, size: (await stat(join(dir, path))).size })));
  const wanted = filesToRead(listing);
  const files = await Promise.all(
    listing.map(async ({ path, size }): Promise<PolicyFile> =>
      wanted.has(path) ? withBytes(path, await readFile(join(dir, path))) : { path, content: '', size },
    ),
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function withBytes(path: string, bytes: Uint8Array): PolicyFile {
  return { ...decodePolicyFile(path, bytes), bytes };
}

/** Regular files under `dir`, not hidden; at most MAX_FILES + 1 (enough for the loader to refuse the folder). */
async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const folders = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    // for await closes the directory handle, also when the loop is left early.
    for await (const entry of await opendir(join(dir, folder))) {
      if (entry.name.startsWith('.')) continue;
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) folders.push(path);
      else if (entry.isFile()) {
        found.push(path);
        if (found.length > MAX_FILES) return found;
      }
    }
  }
  return found;
}
