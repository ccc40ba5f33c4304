/**
 * Builds the extension: `vite build --mode chrome` -> dist/chrome/, `--mode firefox` -> dist/firefox/.
 * Build-time environment:
 *   SWITCHYARD_API_URL          the backend URL the build uses until policy or the options page set one
 *                               (`npm start` passes its local API). Unset: no default; company policy or the
 *                               options page must set it. Must be https://, or http:// to loopback only.
 *   SWITCHYARD_OUT_DIR          output directory instead of dist/<browser> (the e2e tests build into temp dirs)
 *   SWITCHYARD_EXTENSION_KEY    Chrome: the manifest `key` (base64 SubjectPublicKeyInfo) instead of the project's,
 *                               so a build packed with a company's own key gets that key's extension ID
 *                               (npm run package:extension sets it); "none" leaves `key` out (for a Chrome
 *                               Web Store upload: the store assigns the ID and refuses a manifest with `key`)
 *   SWITCHYARD_UPDATE_URL       Chrome: the manifest's `update_url` (the self-hosted update manifest)
 *   SWITCHYARD_FIREFOX_UPDATE_URL  Firefox: `browser_specific_settings.gecko.update_url` (self-hosted updates.json)
 */
import { resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { checkBackendUrl } from './shared/backend-url.ts';
import { managedStorageSchema } from './extension/settings/managed-schema.ts';
import { BROWSERS, manifest, manifestFor } from './manifest.ts';
import type { Browser, BuildChoices } from './manifest.ts';

const MANAGED_SCHEMA_FILE = manifest.storage.managed_schema;

function browserFor(mode: string): Browser {
  const browser = BROWSERS.find((name) => name === mode);
  if (browser) return browser;
  throw new Error(`vite --mode must be one of ${BROWSERS.join(', ')} (got "${mode}")`);
}

/** The checked backend URL, or null: a build without SWITCHYARD_API_URL ships without a default. */
export function apiUrlFromEnv(value: string | undefined): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  const checked = checkBackendUrl(raw);
  if (!checked.ok) throw new Error(`SWITCHYARD_API_URL ${checked.reason}`);
  return checked.url;
}

function optionalUrl(name: string, value: string | undefined): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const checked = checkBackendUrl(raw);
  if (!checked.ok) throw new Error(`${name} ${checked.reason.replace('the backend URL', 'the URL')}`);
  return raw;
}

/** What the environment asks of the manifest (manifest.ts builds each browser's from manifest.json). */
function buildChoices(env: NodeJS.ProcessEnv): BuildChoices {
  const key = env.SWITCHYARD_EXTENSION_KEY?.trim();
  const chromeUpdateUrl = optionalUrl('SWITCHYARD_UPDATE_URL', env.SWITCHYARD_UPDATE_URL);
  const firefoxUpdateUrl = optionalUrl('SWITCHYARD_FIREFOX_UPDATE_URL', env.SWITCHYARD_FIREFOX_UPDATE_URL);
  return {
    ...(key ? { chromeKey: key === 'none' ? null : key } : {}),
    ...(chromeUpdateUrl ? { chromeUpdateUrl } : {}),
    ...(firefoxUpdateUrl ? { firefoxUpdateUrl } : {}),
  };
}

/** Writes the managed_schema the manifest names, generated from the settings schema so the two cannot drift. */
function managedSchemaFile(): Plugin {
  return {
    name: 'switchyard-managed-schema',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MANAGED_SCHEMA_FILE, source: `${JSON.stringify(managedStorageSchema(), null, 2)}\n` });
    },
  };
}

/**
 * The popup's boot script (extension/popup/boot.ts) as one classic script beside the popup's page: a module
 * would wait for the page to be parsed and for the modules before it, and the point is to start sooner.
 */
function popupBootScript(target: string): Plugin {
  return {
    name: 'switchyard-popup-boot',
    async generateBundle() {
      const built = await esbuild({
        entryPoints: [resolve(import.meta.dirname, 'extension/popup/boot.ts')],
        bundle: true,
        format: 'iife',
        minify: true,
        target,
        // No "use strict" prologue (the project's tsconfig asks for it): the script declares nothing global.
        tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
        write: false,
        logLevel: 'silent',
      });
      const [script] = built.outputFiles;
      if (!script) throw new Error('esbuild wrote no popup boot script');
      this.emitFile({ type: 'asset', fileName: 'extension/popup/boot.js', source: script.text });
    },
  };
}

/**
 * Vite wraps every dynamic import in a helper that first preloads the imported chunk's own imports (about
 * 600 bytes gzipped, in the popup's first bundle). Module preload is off here and no lazy chunk of ours needs
 * its imports fetched ahead, so the wrapper only calls the import; the popup's first bundle is measured to the byte.
 */
function plainDynamicImports(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'switchyard-plain-dynamic-imports',
    enforce: 'pre',
    load(id) {
      return id === helper ? 'export const __vitePreload = (load) => load();' : undefined;
    },
  };
}

/**
 * Each page fetches the modules its entry imports at once, beside the entry, instead of after reading it: one
 * round trip to the extension's files fewer before the popup's script runs. Vite's own module preload is off
 * because it wraps every dynamic import in a helper the popup would load first.
 */
function preloadEntryImports(): Plugin {
  return {
    name: 'switchyard-preload-entry-imports',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { chunk }) {
        return (chunk?.imports ?? []).map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  const browser = browserFor(mode);
  const target = browser === 'firefox' ? 'firefox140' : 'chrome105';
  const outDir = process.env.SWITCHYARD_OUT_DIR?.trim() || resolve(import.meta.dirname, 'dist', browser);
  return {
    define: { __SWITCHYARD_API_URL__: JSON.stringify(apiUrlFromEnv(process.env.SWITCHYARD_API_URL)) },
    plugins: [
      preact(),
      crx({ manifest: manifestFor(browser, manifest, buildChoices(process.env)), browser }),
      popupBootScript(target),
      preloadEntryImports(),
      plainDynamicImports(),
      ...(browser === 'chrome' ? [managedSchemaFile()] : []),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      // Minified: the popup's JavaScript is parsed on every open, and the popup's speed goal asks it to stay
      // under 15 KB gzipped (npm run bench -- popup measures it). Source maps stay off: nothing secret, nothing to map.
      minify: true,
      modulePreload: false,
      sourcemap: false,
      target,
    },
  };
});
