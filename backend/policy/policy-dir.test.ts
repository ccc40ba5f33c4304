import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPolicyDir } from './policy-dir.ts';

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
    const dir = folder({ 'settings.yaml': 'a: 1\n', 'permission-sets/B.yaml': 'b: 2\n', '.git/config': 'x', 'sub/.hidden/x.yaml': 'x', '.DS_Store': 'x' });
    expect(await readPolicyDir(dir)).toEqual([
      { path: 'permission-sets/B.yaml', content: 'b: 2\n' },
      { path: 'settings.yaml', content: 'a: 1\n' },
    ]);
  });

  it('reads bytes, so a UTF-8 byte order mark is dropped and UTF-16 is named, not garbled', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...'a: 1\n'].map((c) => c.charCodeAt(0))).buffer)]);
    const dir = folder({ 'accounts.yaml': new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0x31]), 'settings.yaml': utf16 });
    const [accounts, settings] = await readPolicyDir(dir);
    expect(accounts).toEqual({ path: 'accounts.yaml', content: 'a: 1' });
    expect(settings?.textProblem?.message).toMatch(/^file is UTF-16 text; save it as UTF-8/);
  });
});
