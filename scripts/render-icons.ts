/**
 * Renders extension/icons/icon.svg to the PNG sizes the manifest names (browsers want PNG toolbar icons).
 * Run after changing the SVG: `npx tsx scripts/render-icons.ts`. The PNGs are committed.
 * A Node dev tool, so it lives outside extension/ (whose code is typed for the browser only).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const SIZES = [16, 32, 48, 128] as const;
const iconsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'icons');

const svg = await readFile(join(iconsDir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: join(iconsDir, `icon-${size}.png`), omitBackground: true });
    process.stdout.write(`icon-${size}.png\n`);
  }
} finally {
  await browser.close();
}
