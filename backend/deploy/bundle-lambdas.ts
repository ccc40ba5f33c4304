/** Bundles each Lambda entry in backend/handlers/ into dist/lambda/<name>/index.mjs for nodejs22.x. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const handlersDir = `${root}backend/handlers`;
const entries = (await readdir(handlersDir)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

for (const file of entries) {
  const name = file.replace(/\.ts$/, '');
  const result = await build({
    entryPoints: [`${handlersDir}/${file}`],
    outfile: `${root}dist/lambda/${name}/index.mjs`,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    // ESM bundles of CommonJS dependencies need a require() in scope.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`dist/lambda/${name}/index.mjs  ${(bytes / 1024).toFixed(0)} KiB (with source map)`);
}
