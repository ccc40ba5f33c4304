/** `npm run build:lambda`: each Lambda entry in backend/handlers/ into dist/lambda/<name>/index.mjs (with a source map). */
import { mkdir, writeFile } from 'node:fs/promises';
import { bundleHandler, handlerNames, REPOSITORY_ROOT } from './bundle.ts';

for (const name of handlerNames()) {
  const bundle = await bundleHandler(name, { sourceMap: true });
  const dir = `${REPOSITORY_ROOT}dist/lambda/${name}`;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/index.mjs`, bundle.code);
  if (bundle.sourceMap) await writeFile(`${dir}/index.mjs.map`, bundle.sourceMap);
  console.log(`dist/lambda/${name}/index.mjs  ${(bundle.code.byteLength / 1024).toFixed(0)} KiB`);
}
