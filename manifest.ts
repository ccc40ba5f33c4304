/**
 * Each browser's manifest, typed. manifest.json is the one source (release scripts, tests and people read and
 * edit it): what both browsers get, plus the keys only one of them reads. Each browser warns about keys it does
 * not know, so each build gets the common part and its own additions, and nothing of the other's.
 *
 * manifest.json is checked against the schema below when a build reads it: a misspelt, mistyped or unknown key
 * fails the build with the key's name. A new key goes into the schema, in the part that says which browser gets it.
 */
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import { z } from 'zod';
import manifestFile from './manifest.json' with { type: 'json' };

export const BROWSERS = ['chrome', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];

/** A manifest as @crxjs/vite-plugin takes it (the object, not a promise or a function returning one). */
export type ManifestV3 = Exclude<ManifestV3Export, PromiseLike<unknown> | ((...args: never[]) => unknown)>;

const Files = z.record(z.string(), z.string());

/** What both browsers get. */
const common = {
  manifest_version: z.literal(3),
  name: z.string().min(1),
  version: z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be one to four numbers separated by dots, such as 1.2.0'),
  description: z.string(),
  icons: Files,
  action: z.strictObject({ default_title: z.string(), default_popup: z.string(), default_icon: Files }),
  options_ui: z.strictObject({ page: z.string(), open_in_tab: z.boolean() }),
  // Chrome runs the service worker, Firefox the same file as a background script; the plugin keeps the one each reads.
  background: z.strictObject({ service_worker: z.string(), scripts: z.array(z.string()), type: z.literal('module') }),
  permissions: z.array(z.string()),
  optional_permissions: z.array(z.string()),
};

/**
 * What only Chrome (and Edge) read: the public key that fixes the extension ID, the schema of the settings company
 * policy may set (Firefox reads policy from policies.json, without a schema), the oldest Chrome.
 */
const chromeOnly = {
  key: z.string().min(1),
  storage: z.strictObject({ managed_schema: z.string() }),
  minimum_chrome_version: z.string(),
};

/** The kinds of data Firefox asks the person to agree the add-on collects (Firefox's data consent). */
const GeckoDataCollection = z.enum([
  'none',
  'personallyIdentifyingInfo',
  'healthInfo',
  'financialAndPaymentInfo',
  'authenticationInfo',
  'personalCommunications',
  'locationInfo',
  'browsingActivity',
  'websiteContent',
  'websiteActivity',
  'searchTerms',
  'bookmarksInfo',
]);

/** What only Firefox reads: the add-on ID, the oldest Firefox (desktop and Android) and the data it collects. */
const firefoxOnly = {
  browser_specific_settings: z.strictObject({
    gecko: z.strictObject({
      id: z.string().min(1),
      strict_min_version: z.string(),
      data_collection_permissions: z.strictObject({ required: z.array(GeckoDataCollection) }),
    }),
    gecko_android: z.strictObject({ strict_min_version: z.string() }),
  }),
};

const ManifestFileSchema = z.strictObject({ ...common, ...chromeOnly, ...firefoxOnly });
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** Permissions only the Firefox build asks for: containers (Firefox cannot make them optional; Chrome does not know them). */
const FIREFOX_PERMISSIONS = ['contextualIdentities'];

/** `json` checked as the manifest file; a mistake throws naming the file and each key that is wrong. */
export function checkManifest(json: unknown, file = 'manifest.json'): ManifestFile {
  const checked = ManifestFileSchema.safeParse(json);
  if (checked.success) return checked.data;
  const problems = checked.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  throw new Error(`${file} is not a manifest this build understands:\n${problems.join('\n')}`);
}

/** What a build sets beyond manifest.json (vite.config.ts reads them from the environment). */
export interface BuildChoices {
  /** Chrome's `key` instead of manifest.json's (a company's own signing key); null leaves `key` out (a Chrome Web Store upload). */
  chromeKey?: string | null;
  /** Chrome's `update_url` (the self-hosted update manifest). */
  chromeUpdateUrl?: string;
  /** Firefox's `browser_specific_settings.gecko.update_url` (the self-hosted updates.json). */
  firefoxUpdateUrl?: string;
}

export function manifestFor(browser: Browser, manifest: ManifestFile, choices: BuildChoices = {}): ManifestV3 {
  const { key, storage, minimum_chrome_version, browser_specific_settings, ...both } = manifest;
  if (browser === 'chrome') {
    const chromeKey = choices.chromeKey === undefined ? key : choices.chromeKey;
    return {
      ...both,
      ...(chromeKey === null ? {} : { key: chromeKey }),
      storage,
      minimum_chrome_version,
      ...(choices.chromeUpdateUrl ? { update_url: choices.chromeUpdateUrl } : {}),
    };
  }
  return {
    ...both,
    permissions: [...both.permissions, ...FIREFOX_PERMISSIONS],
    browser_specific_settings: {
      ...browser_specific_settings,
      gecko: { ...browser_specific_settings.gecko, ...(choices.firefoxUpdateUrl ? { update_url: choices.firefoxUpdateUrl } : {}) },
    },
  };
}

/** manifest.json, checked. */
export const manifest: ManifestFile = checkManifest(manifestFile);
