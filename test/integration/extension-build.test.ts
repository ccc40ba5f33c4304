/**
 * The real extension build (vite.config.ts, as `npm run build` runs it): what a production build contains
 * without SWITCHYARD_API_URL, what it refuses, and the manifest each browser gets (manifest.ts, from manifest.json).
 */
import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../scripts/build/extension.ts';
import { managedStorageSchema } from '../../extension/settings/managed-schema.ts';
import { checkManifest, manifest as manifestFile, manifestFor } from '../../manifest.ts';
import manifestJson from '../../manifest.json' with { type: 'json' };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'switchyard-build-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('the extension build', () => {
  it('refuses a plain-http SWITCHYARD_API_URL to another machine, saying why', async () => {
    await expect(buildExtension('chrome', 'http://switchyard.example.com', join(work, 'refused'))).rejects.toThrow(
      /SWITCHYARD_API_URL must use https:\/\/ \(plain http:\/\/ is only allowed to this machine/,
    );
  });

  it('without SWITCHYARD_API_URL bakes in no backend at all, and carries the managed schema, the options page and the key', async () => {
    const out = join(work, 'chrome');
    await buildExtension('chrome', undefined, out);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown> & {
      storage: { managed_schema: string };
      options_ui: { page: string };
    };
    const scripts = (await filesUnder(out)).filter((file) => file.endsWith('.js'));
    for (const script of scripts) expect(await readFile(script, 'utf8'), script).not.toMatch(/127\.0\.0\.1:8787|http:\/\/127\.0\.0\.1:\d/);
    expect(typeof manifest.key).toBe('string');
    expect(JSON.parse(await readFile(join(out, manifest.storage.managed_schema), 'utf8'))).toEqual(managedStorageSchema());
    expect(await readFile(join(out, manifest.options_ui.page), 'utf8')).toContain('<title>Switchyard options</title>');
    expect(manifest.permissions).toEqual(['storage', 'activeTab', 'identity', 'alarms']);
    expect(manifest).not.toHaveProperty('host_permissions');
  });

  it("starts the popup's reads from a classic boot script, fetches the entry's imports at once, and wraps no lazy import in Vite's preload helper", async () => {
    const out = join(work, 'chrome-popup');
    await buildExtension('chrome', undefined, out);
    const html = await readFile(join(out, 'extension/popup/index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)><\/script>/g)].map(([, attributes = '']) => attributes);
    // The boot script comes first, async and classic (a module would wait for the page to be parsed).
    expect(scripts[0]).toMatch(/^ src="\.\/boot\.js" async$/);
    const boot = await readFile(join(out, 'extension/popup/boot.js'), 'utf8');
    expect(boot).not.toMatch(/^\s*(import|export)\b|\bimport\(|\bexport\s*\{/m);
    expect(boot).toContain('storage.session');
    expect(boot).toContain('switchyardPopupStart');

    const entry = html.match(/<script type="module"[^>]* src="\/([^"]+)"/)?.[1] ?? '';
    const code = await readFile(join(out, entry), 'utf8');
    const imported = [...code.matchAll(/from\s*["']\.\/([^"']+)["']/g)].map(([, file]) => `/assets/${file}`);
    expect(imported.length).toBeGreaterThan(0);
    for (const file of imported) expect(html).toContain(`<link rel="modulepreload" crossorigin href="${file}">`);
    const popupCode = [code, ...(await Promise.all(imported.map((file) => readFile(join(out, file), 'utf8'))))].join('\n');
    expect(popupCode).toMatch(/import\(\s*["'`]\.\/SignInForm-/);
    expect(popupCode).not.toContain('modulepreload');
    expect(popupCode).not.toContain('vite:preloadError');
  });

  it('with a loopback SWITCHYARD_API_URL (npm start) bakes it in as the default', async () => {
    const out = join(work, 'chrome-local');
    await buildExtension('chrome', 'http://127.0.0.1:8787/', out);
    const scripts = await Promise.all((await filesUnder(out)).filter((file) => file.endsWith('.js')).map((file) => readFile(file, 'utf8')));
    // The build is minified: the string may come out in any quotes.
    expect(scripts.some((script) => /["'`]http:\/\/127\.0\.0\.1:8787["'`]/.test(script))).toBe(true);
  });

  it('leaves the manifest key out for a Chrome Web Store upload (SWITCHYARD_EXTENSION_KEY=none)', async () => {
    const out = join(work, 'chrome-store');
    await buildExtension('chrome', 'https://switchyard.example.com', out, { SWITCHYARD_EXTENSION_KEY: 'none' });
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))).not.toHaveProperty('key');
  });

  it("gives Firefox its add-on ID and none of Chrome's keys", async () => {
    const out = join(work, 'firefox');
    await buildExtension('firefox', undefined, out);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown> & {
      browser_specific_settings: { gecko: { id: string } };
    };
    expect(manifest.browser_specific_settings.gecko.id).toBe('switchyard@switchyard.dev');
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).not.toHaveProperty('storage');
    expect(manifest).toHaveProperty('options_ui');
  });
});

describe("each browser's manifest", () => {
  const chromeOnly = ['key', 'storage', 'minimum_chrome_version'];

  it('is the common part of manifest.json plus what that browser adds, and nothing of the other', () => {
    const chrome = manifestFor('chrome', manifestFile);
    const firefox = manifestFor('firefox', manifestFile);
    const { key, storage, minimum_chrome_version, browser_specific_settings, ...both } = manifestJson;
    expect(chrome).toEqual({ ...both, key, storage, minimum_chrome_version });
    expect(firefox).toEqual({ ...both, permissions: [...both.permissions, 'contextualIdentities'], browser_specific_settings });
    for (const chromeKey of chromeOnly) expect(firefox).not.toHaveProperty(chromeKey);
    expect(chrome).not.toHaveProperty('browser_specific_settings');
    expect(chrome.permissions).not.toContain('contextualIdentities');
  });

  it("takes another key, no key, and each browser's update URL from the build", () => {
    expect(manifestFor('chrome', manifestFile, { chromeKey: 'QUJD', chromeUpdateUrl: 'https://updates.example.com/updates.xml' })).toMatchObject({
      key: 'QUJD',
      update_url: 'https://updates.example.com/updates.xml',
    });
    expect(manifestFor('chrome', manifestFile, { chromeKey: null })).not.toHaveProperty('key');
    const firefox = manifestFor('firefox', manifestFile, { chromeKey: 'QUJD', firefoxUpdateUrl: 'https://updates.example.com/updates.json' });
    expect(firefox.browser_specific_settings?.gecko).toMatchObject({
      id: 'switchyard@switchyard.dev',
      update_url: 'https://updates.example.com/updates.json',
    });
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('update_url');
  });

  it('refuses a manifest.json with a misspelt, mistyped or unknown key, naming each', () => {
    const { permissions, ...rest } = manifestJson;
    const misspelt = { ...rest, permisions: permissions, manifest_version: 2 };
    expect(() => checkManifest(misspelt)).toThrow(/^manifest\.json is not a manifest this build understands:/);
    expect(() => checkManifest(misspelt)).toThrow(/permisions/);
    expect(() => checkManifest(misspelt)).toThrow(/\n {2}permissions: /);
    expect(() => checkManifest(misspelt)).toThrow(/\n {2}manifest_version: /);
    const gecko = { ...manifestJson.browser_specific_settings.gecko, data_collection_permissions: { required: ['everything'] } };
    expect(() => checkManifest({ ...manifestJson, browser_specific_settings: { ...manifestJson.browser_specific_settings, gecko } })).toThrow(
      /browser_specific_settings\.gecko\.data_collection_permissions\.required\.0: /,
    );
    expect(() => checkManifest({ ...manifestJson, version: '1.0-beta' })).toThrow(/version: must be one to four numbers/);
  });
});
