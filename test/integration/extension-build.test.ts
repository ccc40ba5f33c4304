/**
 * The real extension build (vite.config.ts, as `npm run build` runs it): what a production build contains
 * without SWITCHYARD_API_URL, what it refuses, and the manifest each browser gets.
 */
import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../scripts/build/extension.ts';
import { managedStorageSchema } from '../../extension/settings/managed-schema.ts';

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
    for (const script of scripts) expect(await readFile(script, 'utf8'), script).not.toMatch(/127\.0\.0\.1:8787|http:\/\/127\.0\.0\.1/);
    expect(typeof manifest.key).toBe('string');
    expect(JSON.parse(await readFile(join(out, manifest.storage.managed_schema), 'utf8'))).toEqual(managedStorageSchema());
    expect(await readFile(join(out, manifest.options_ui.page), 'utf8')).toContain('<title>Switchyard options</title>');
    expect(manifest.permissions).toEqual(['storage', 'activeTab', 'identity']);
    expect(manifest).not.toHaveProperty('host_permissions');
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
