/**
 * Builds the extension: `vite build --mode chrome` -> dist/chrome/, `--mode firefox` -> dist/firefox/.
 * Build-time environment:
 *   SWITCHYARD_API_URL  backend base URL baked into the extension (default http://127.0.0.1:8787)
 *   SWITCHYARD_OUT_DIR  output directory instead of dist/<browser> (the e2e test builds into a temp dir)
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import baseManifest from './manifest.json' with { type: 'json' };

const DEFAULT_API_URL = 'http://127.0.0.1:8787';
const BROWSERS = ['chrome', 'firefox'] as const;
type Browser = (typeof BROWSERS)[number];

function browserFor(mode: string): Browser {
  if ((BROWSERS as readonly string[]).includes(mode)) return mode as Browser;
  throw new Error(`vite --mode must be one of ${BROWSERS.join(', ')} (got "${mode}")`);
}

function apiUrlFromEnv(): string {
  const raw = process.env.SWITCHYARD_API_URL?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SWITCHYARD_API_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`SWITCHYARD_API_URL must be http(s): "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The one root manifest, minus the keys the other browser does not know (Chrome warns about unknown keys). */
function manifestFor(browser: Browser): ManifestV3Export {
  const { browser_specific_settings, minimum_chrome_version, ...common } = baseManifest;
  // JSON imports widen literals (manifest_version: number); the built manifest is checked by the browsers and web-ext lint.
  // Firefox containers (docs/popup.md): Firefox cannot make contextualIdentities optional, and Chrome does not know it.
  const firefoxPermissions = [...common.permissions, 'contextualIdentities'];
  const manifest =
    browser === 'firefox' ? { ...common, permissions: firefoxPermissions, browser_specific_settings } : { ...common, minimum_chrome_version };
  return manifest as ManifestV3Export;
}

export default defineConfig(({ mode }) => {
  const browser = browserFor(mode);
  const outDir = process.env.SWITCHYARD_OUT_DIR?.trim() || resolve(import.meta.dirname, 'dist', browser);
  return {
    define: { __SWITCHYARD_API_URL__: JSON.stringify(apiUrlFromEnv()) },
    plugins: [preact(), crx({ manifest: manifestFor(browser), browser })],
    build: {
      outDir,
      emptyOutDir: true,
      // Minified: the popup's JavaScript is parsed on every open and must stay under 15 KB gzipped
      // (issue 9; npm run bench -- popup measures it). Source maps stay off: nothing secret, nothing to map.
      minify: true,
      modulePreload: false,
      sourcemap: false,
      target: browser === 'firefox' ? 'firefox140' : 'chrome102',
    },
  };
});
