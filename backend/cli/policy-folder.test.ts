import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_FILES } from '../../shared/policy/limits.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';
import { readPolicyDir as readWithBytes } from './policy-folder.ts';

/** The files without the raw bytes kept for pushes (checked on their own below). */
async function readPolicyDir(dir: string): Promise<Omit<PolicyFile, 'bytes'>[]> {
  return (await readWithBytes(dir)).map(({ bytes: _bytes, ...file }) => file);
}

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-policy-dir-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('readPolicyDir', () => {
  it('reads every file but hidden ones, paths relative with "/" and sorted', async () => {
    const dir = folder({
      'settings.yaml': 'a: 1\n',
      'permission-sets/B.yaml': 'b: 2\n',
      '.git/config': 'x',
      'sub/.hidden/x.yaml': 'x',
      '.DS_Store': 'x',
    });
    expect(await readPolicyDir(dir)).toEqual([
      { path: 'permission-sets/B.yaml', content: 'b: 2\n', size: 5 },
      { path: 'settings.yaml', content: 'a: 1\n', size: 5 },
    ]);
  });

  it('reads bytes, so a UTF-8 byte order mark is dropped and UTF-16 is named, not garbled', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...'a: 1\n'].map((c) => c.charCodeAt(0))).buffer)]);
    const dir = folder({ 'accounts.yaml': new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0x31]), 'settings.yaml': utf16 });
    const [accounts, settings] = await readWithBytes(dir);
    expect({ ...accounts, bytes: undefined }).toEqual({ path: 'accounts.yaml', content: 'a: 1', size: 7, bytes: undefined });
    // A push uploads the file exactly as it is on disk, byte order mark and all.
    expect([...(accounts?.bytes ?? [])]).toEqual([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0x31]);
    expect(settings?.textProblem?.message).toMatch(/^file is UTF-16 text; save it as UTF-8/);
  });

  it('does not read a file over the size limit: it comes back empty, with its size from stat', async () => {
    const dir = folder({ 'settings.yaml': 'a: 1\n', 'accounts.yaml': '' });
    // Sparse: 3 GiB that cost nothing on disk, but reading them would take seconds and fail (over 2 GiB).
    truncateSync(join(dir, 'accounts.yaml'), 3 * 1024 ** 3);
    expect(await readPolicyDir(dir)).toEqual([
      { path: 'accounts.yaml', content: '', size: 3 * 1024 ** 3 },
      // Over the total too, so nothing at all is read.
      { path: 'settings.yaml', content: '', size: 5 },
    ]);
    const within = folder({ 'accounts.yaml': 'a'.repeat(5_000_000), 'settings.yaml': 'a: 1\n' });
    expect(await readPolicyDir(within)).toEqual([
      { path: 'accounts.yaml', content: '', size: 5_000_000 },
      { path: 'settings.yaml', content: 'a: 1\n', size: 5 },
    ]);
  });

  it('reads nothing once all files together are over the total limit', async () => {
    const parts = Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`accounts/part${index}.yaml`, 'a'.repeat(MAX_FILE_BYTES - 1)]));
    const files = await readPolicyDir(folder(parts));
    expect(files).toHaveLength(9);
    expect(files.every((file) => file.content === '' && file.size === MAX_FILE_BYTES - 1)).toBe(true);
  });

  it('stops listing one file past the file-count limit and reads none of them', async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_FILES + 50 }, (_, index) => [`policies/p${index}.json`, '{}']));
    const files = await readPolicyDir(folder(many));
    expect(files).toHaveLength(MAX_FILES + 1);
    expect(files.every((file) => file.content === '')).toBe(true);
  });

  it('does not count or enter hidden folders such as .git', async () => {
    const git = Object.fromEntries(Array.from({ length: MAX_FILES + 10 }, (_, index) => [`.git/objects/o${index}`, 'x']));
    expect(await readPolicyDir(folder({ ...git, 'settings.yaml': 'a: 1\n' }))).toEqual([{ path: 'settings.yaml', content: 'a: 1\n', size: 5 }]);
  });
});
