/**
 * The CLI for people as one file that runs on Node 20+ with nothing installed beside it:
 * dist/cli/switchyard.cjs (CommonJS, so Node loads built-in modules only when a command needs them), and
 * dist/cli/switchyard-cli-<version>.tgz, an npm package of that one file, for `npm install -g`.
 *
 * Two esbuild passes: the whole program (every command, admin ones included), then a small prelude that
 * answers `switchyard credentials` from its cache and otherwise compiles the program, which it carries as
 * a string literal (Brotli-compressed, base64). Node scans a string far faster than it parses the code
 * in it, so a warm `credential_process` call costs little more than one Node start
 * (`npm run bench -- credentials`); only a call the cache cannot answer pays for the whole program.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { REPOSITORY_ROOT } from './bundle.ts';

export const CLI_DIR = `${REPOSITORY_ROOT}dist/cli`;
export const CLI_PACKAGE_NAME = 'switchyard-cli';

async function bundle(entry: string, options: { define?: Record<string, string>; banner?: string } = {}): Promise<string> {
  const result = await build({
    entryPoints: [`${REPOSITORY_ROOT}backend/cli/${entry}`],
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The AWS SDK's ES module builds tree-shake (see bundle.ts).
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
    ...(options.define ? { define: options.define } : {}),
    ...(options.banner ? { banner: { js: options.banner } } : {}),
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  return output.text;
}

export async function bundleCli(): Promise<string> {
  const program = await bundle('bundle-entry.ts');
  // Brotli then base64: a quarter of the characters for Node to scan on every warm call.
  const packed = brotliCompressSync(Buffer.from(program, 'utf8'), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
  return bundle('bundle-prelude.ts', { define: { SWITCHYARD_CLI_PROGRAM: JSON.stringify(packed) }, banner: '#!/usr/bin/env node' });
}

/** Writes switchyard.cjs into `dir` (default dist/cli) and packs it beside; returns both paths. */
export async function writeCli(dir = CLI_DIR): Promise<{ file: string; tarball: string }> {
  const code = await bundleCli();
  const { version } = JSON.parse(await readFile(`${REPOSITORY_ROOT}package.json`, 'utf8')) as { version: string };
  const file = `${dir}/switchyard.cjs`;
  await mkdir(dir, { recursive: true });
  await writeFile(file, code);
  await chmod(file, 0o755);

  const packageDir = `${dir}/package`;
  await rm(packageDir, { recursive: true, force: true });
  await mkdir(packageDir, { recursive: true });
  await writeFile(`${packageDir}/switchyard.cjs`, code, { mode: 0o755 });
  const manifest = {
    name: CLI_PACKAGE_NAME,
    version,
    description: 'Switchyard for the terminal: sign in, AWS credentials and consoles for your entitlements (one file, no dependencies)',
    bin: { switchyard: 'switchyard.cjs' },
    files: ['switchyard.cjs'],
    engines: { node: '>=20.19' },
    license: 'UNLICENSED',
  };
  await writeFile(`${packageDir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  const packed = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: packageDir, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr || packed.stdout}`);
  await rm(packageDir, { recursive: true, force: true });
  return { file, tarball: `${dir}/${CLI_PACKAGE_NAME}-${version}.tgz` };
}
