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
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { checkBackendUrl } from './shared/backend-url.ts';
import { managedStorageSchema } from './extension/settings/managed-schema.ts';
import baseManifest from './manifest.json' with { type: 'json' };

const BROWSERS = ['chrome', 'firefox'] as const;
type Browser = (typeof BROWSERS)[number];
const MANAGED_SCHEMA_FILE = baseManifest.storage.managed_schema;

function browserFor(mode: string): Browser {
  if ((BROWSERS as readonly string[]).includes(mode)) return mode as Browser;
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

/** The one root manifest, minus the keys the other browser does not know (each warns about unknown keys). */
function manifestFor(browser: Browser, env: NodeJS.ProcessEnv): ManifestV3Export {
  const { browser_specific_settings, minimum_chrome_version, key, storage, ...common } = baseManifest;
  const keyOverride = env.SWITCHYARD_EXTENSION_KEY?.trim();
  const chromeKey = keyOverride === 'none' ? {} : { key: keyOverride || key };
  const chromeUpdateUrl = optionalUrl('SWITCHYARD_UPDATE_URL', env.SWITCHYARD_UPDATE_URL);
  const firefoxUpdateUrl = optionalUrl('SWITCHYARD_FIREFOX_UPDATE_URL', env.SWITCHYARD_FIREFOX_UPDATE_URL);
  // Firefox reads company policy from policies.json ("3rdparty") without a schema, and has no use for `key`.
  // Firefox containers (docs/popup.md): Firefox cannot make contextualIdentities optional, and Chrome does not know it.
  const manifest =
    browser === 'firefox'
      ? {
          ...common,
          permissions: [...common.permissions, 'contextualIdentities'],
          browser_specific_settings: {
            ...browser_specific_settings,
            gecko: { ...browser_specific_settings.gecko, ...(firefoxUpdateUrl ? { update_url: firefoxUpdateUrl } : {}) },
          },
        }
      : { ...common, ...chromeKey, storage, minimum_chrome_version, ...(chromeUpdateUrl ? { update_url: chromeUpdateUrl } : {}) };
  // JSON imports widen literals (manifest_version: number); the built manifest is checked by the browsers and web-ext lint.
  return manifest as ManifestV3Export;
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

export default defineConfig(({ mode }) => {
  const browser = browserFor(mode);
  const outDir = process.env.SWITCHYARD_OUT_DIR?.trim() || resolve(import.meta.dirname, 'dist', browser);
  return {
    define: { __SWITCHYARD_API_URL__: JSON.stringify(apiUrlFromEnv(process.env.SWITCHYARD_API_URL)) },
    plugins: [preact(), crx({ manifest: manifestFor(browser, process.env), browser }), ...(browser === 'chrome' ? [managedSchemaFile()] : [])],
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
