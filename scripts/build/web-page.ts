/**
 * Builds the web page (web/, docs/web-page.md) as `npm run build:web` does: vite into dist/web/ (or
 * `outDir`), then a brotli and a gzip copy beside each text file, which the API sends to browsers that
 * accept them (backend/api/web-page.ts). `npm start`, the Lambda packaging and the tests use it.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE = `${ROOT}node_modules/vite/bin/vite.js`;
export const WEB_PAGE_OUT_DIR = `${ROOT}dist/web`;

/** The files compressed copies are worth having for. */
const COMPRESSIBLE = /\.(html|js|css|svg)$/;

/** Writes the page into `outDir` (default dist/web); fails with vite's own output when the build fails. */
export async function buildWebPage(outDir = WEB_PAGE_OUT_DIR): Promise<void> {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--config', `${ROOT}web/vite.config.ts`, '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_OUT_DIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build --config web/vite.config.ts failed (exit ${code}):\n${output.join('')}`);
  await compressCopies(outDir);
}

async function compressCopies(outDir: string): Promise<void> {
  for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    await writeFile(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    await writeFile(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebPage(process.argv[2]);
}
