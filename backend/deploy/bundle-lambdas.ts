/**
 * `npm run build:lambda`: each Lambda entry in backend/handlers/ into dist/lambda/<name>/index.mjs (with a source map),
 * and the web page beside the API's, in dist/lambda/api/web/, where its handler serves it from (copied from
 * dist/web/, which `npm run build` builds just before; built afresh when there is none).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { buildWebPage, WEB_PAGE_OUT_DIR } from '../../scripts/build/web-page.ts';
import { bundleHandler, handlerNames, REPOSITORY_ROOT } from './bundle.ts';
import { PACKAGED_WEB_PAGE } from './package.ts';

for (const name of handlerNames()) {
  const bundle = await bundleHandler(name, { sourceMap: true });
  const dir = `${REPOSITORY_ROOT}dist/lambda/${name}`;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/index.mjs`, bundle.code);
  if (bundle.sourceMap) await writeFile(`${dir}/index.mjs.map`, bundle.sourceMap);
  console.log(`dist/lambda/${name}/index.mjs  ${(bundle.code.byteLength / 1024).toFixed(0)} KiB`);
}

const webPage = `${REPOSITORY_ROOT}dist/lambda/api/${PACKAGED_WEB_PAGE}`;
await rm(webPage, { recursive: true, force: true });
if (existsSync(`${WEB_PAGE_OUT_DIR}/index.html`)) await cp(WEB_PAGE_OUT_DIR, webPage, { recursive: true });
else await buildWebPage(webPage);
console.log(`dist/lambda/api/${PACKAGED_WEB_PAGE}/  the web page`);
