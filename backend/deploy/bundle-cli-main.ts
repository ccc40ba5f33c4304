/** `npm run build:cli`: the CLI for people, dist/cli/switchyard.cjs and its npm package (bundle-cli.ts). */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { REPOSITORY_ROOT } from './bundle.ts';
import { writeCli } from './bundle-cli.ts';

const { file, tarball } = await writeCli();
for (const path of [file, tarball]) console.log(`${relative(REPOSITORY_ROOT, path)}  ${((await stat(path)).size / 1024).toFixed(0)} KiB`);
