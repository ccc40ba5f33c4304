/**
 * Builds the web page (docs/web-page.md): `vite build --config web/vite.config.ts` -> dist/web/ (or
 * SWITCHYARD_OUT_DIR): index.html and assets/ with content-hashed names, which the API serves at / and
 * /assets/ (backend/api/web-page.ts). scripts/build/web-page.ts runs it and writes the compressed copies.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the page works wherever the API's root is.
  base: './',
  plugins: [preact()],
  build: {
    outDir: process.env.SWITCHYARD_OUT_DIR?.trim() || resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    minify: true,
    modulePreload: false,
    sourcemap: false,
    // Every asset a file of its own: the Content-Security-Policy allows no data: URLs.
    assetsInlineLimit: 0,
    target: ['chrome111', 'edge111', 'firefox115', 'safari16.4'],
  },
});
