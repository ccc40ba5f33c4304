/**
 * Where the extension's settings come from, in real Chromium against the whole local stack. The build has no
 * backend URL of its own (as a production build without SWITCHYARD_API_URL): first the person sets it on the
 * options page; then company policy sets it from Chromium's policy folder (a private copy per browser,
 * policy-chromium.ts) and the core scenarios run on that; last, policy alone installs the packed CRX from a
 * loopback download site, with no user action.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { buildExtension } from '../../scripts/build/extension.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import type { LocalStack } from '../../backend/local/stack.ts';
import manifest from '../../manifest.json' with { type: 'json' };
import { loadOrCreateSigningKey } from '../../scripts/rollout/extension-key.ts';
import { CHROME_UPDATE_FILE, CRX_FILE, POLICY_FOLDER, packageExtension } from '../../scripts/rollout/package.ts';
import { renderPolicyFiles } from '../../scripts/rollout/policy-files.ts';
import { EXPECTED, clearSessionStorage, coreScenarios, listedRows, signIn, storageArea } from './core-scenarios.ts';
import type { ScenarioBrowser } from './core-scenarios.ts';
import { startDownloadServer } from './download-server.ts';
import type { DownloadServer } from './download-server.ts';
import { loadExtension } from './extension-harness.ts';
import type { LoadedExtension } from './extension-harness.ts';
import { chromiumScenarioBrowser, launchChromiumWithPolicy } from './policy-chromium.ts';
import type { PolicyChromium } from './policy-chromium.ts';

/** The extension ID that follows from the manifest's `key`, as docs/rollout.md documents it. */
const PROJECT_EXTENSION_ID = 'kbdnpmnebjllmfocnhohiofmebjgfjmp';
const POPUP_PATH = 'extension/popup/index.html';
const OPTIONS_PATH = 'extension/options/index.html';
const POLICY_FILE = 'switchyard-e2e';
const OTHER_BACKEND = 'https://switchyard.example.com';

let stack: LocalStack;
let work: string;
let noUrlBuild: string;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  work = await mkdtemp(join(tmpdir(), 'switchyard-managed-e2e-'));
  noUrlBuild = join(work, 'chrome-no-backend');
  await buildExtension('chrome', undefined, noUrlBuild);
});

afterAll(async () => {
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function password(username: string): string {
  const user = stack.demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.password;
}

async function chromeStorage(page: Page, area: 'sync' | 'managed'): Promise<Record<string, unknown>> {
  return page.evaluate(
    (which) =>
      (globalThis as unknown as { chrome: { storage: Record<string, { get(keys: null): Promise<Record<string, unknown>> }> } }).chrome.storage[
        which
      ]!.get(null),
    area,
  );
}

/** The options page's field for a setting: its value, whether it is locked, and the note beside it. */
async function optionsField(page: Page, id: string) {
  const field = page.locator(`#${id}`);
  await field.waitFor();
  return {
    value: await field.inputValue(),
    disabled: await field.isDisabled(),
    lockedNote: (await page.locator(`#${id}-locked`).count()) > 0 ? await page.locator(`#${id}-locked`).textContent() : null,
  };
}

describe('a build without a backend URL, set up by the person on the options page', () => {
  let extension: LoadedExtension;

  beforeAll(async () => {
    extension = await loadExtension(noUrlBuild);
  });

  afterAll(async () => {
    await extension?.close();
  });

  beforeEach(async () => {
    const popup = await extension.openPopup();
    await popup.evaluate(() =>
      (globalThis as unknown as { chrome: { storage: { session: { clear(): Promise<void> } } } }).chrome.storage.session.clear(),
    );
    for (const page of extension.context.pages()) await page.close();
  });

  it('has the stable extension ID of the manifest key', () => {
    expect(extension.extensionId).toBe(PROJECT_EXTENSION_ID);
  });

  it('says in the popup that no backend is set, instead of offering a sign-in that cannot work', async () => {
    const popup = await extension.openPopup();
    await expect.poll(() => popup.locator('body').textContent(), { timeout: 15_000 }).toContain('No Switchyard backend is set');
    expect(await popup.textContent('body')).not.toContain('127.0.0.1:8787');
  });

  it('refuses a plain-http backend URL on the options page, saving nothing', async () => {
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/${OPTIONS_PATH}`);
    await options.getByRole('alert').filter({ hasText: 'does not know your company' }).waitFor();
    await options.getByLabel('Backend URL').fill('http://switchyard.example.com');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('#apiUrl-error').textContent(), { timeout: 15_000 }).toMatch(/must use https/);
    expect(await options.getByLabel('Backend URL').getAttribute('aria-invalid')).toBe('true');
    expect(await options.getByRole('status').textContent()).toMatch(/Nothing was saved/);
    expect(await chromeStorage(options, 'sync')).toEqual({});
  });

  it('saves the backend URL typed on the options page, and the popup signs in against it', async () => {
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/${OPTIONS_PATH}`);
    await options.getByLabel('Backend URL').fill(`${stack.apiUrl}/`);
    await options.getByLabel('Open consoles in').selectOption('background-tab');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Saved.');
    expect(await chromeStorage(options, 'sync')).toEqual({
      apiUrl: stack.apiUrl,
      openMode: 'background-tab',
      signInMethod: 'auto',
      firefoxContainers: false,
      consoleSessionMode: 'automatic',
      reuseOpenSessions: true,
    });

    // The sign-in screen names the person's backend and offers to change it.
    const signInScreen = await extension.context.newPage();
    await signInScreen.goto(`chrome-extension://${extension.extensionId}/${POPUP_PATH}`);
    const footer = signInScreen.locator('footer.backend');
    await expect.poll(() => footer.textContent(), { timeout: 15_000 }).toBe(`Backend: ${stack.apiUrl} Change`);
    await signInScreen.close();

    const browser = chromiumScenarioBrowser(extension.context, extension.extensionId, POPUP_PATH);
    const popup = await signIn(browser, 'bob', password('bob'));
    expect(await listedRows(popup)).toHaveLength(EXPECTED.bob.length);
  });

  it("ends the session when the backend URL changes, so the old backend's token goes nowhere else", async () => {
    const browser = chromiumScenarioBrowser(extension.context, extension.extensionId, POPUP_PATH);
    const popup = await signIn(browser, 'alice', password('alice'));
    await listedRows(popup);
    expect(Object.keys(await storageArea(popup, 'session'))).toContain('session');

    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/${OPTIONS_PATH}`);
    await options.getByLabel('Backend URL').fill(OTHER_BACKEND);
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Saved.');
    await expect.poll(async () => Object.keys(await storageArea(popup, 'session')), { timeout: 15_000 }).toEqual([]);
  });
});

describe('company policy in Chromium\'s policy folder ("3rdparty" of deploy/browser-policies/chrome-linux.json)', () => {
  let chromium: PolicyChromium;
  let browser: ScenarioBrowser;

  beforeAll(async () => {
    // The Linux policy file as the renderer writes it, for this stack; the unpacked build stands in for the
    // force-install (tested below), so only the 3rdparty part is used here.
    const linux = JSON.parse(
      renderPolicyFiles({
        chromeExtensionId: PROJECT_EXTENSION_ID,
        geckoId: manifest.browser_specific_settings.gecko.id,
        chromeUpdateUrl: 'https://switchyard.example.com/extension/updates.xml',
        firefoxInstallUrl: 'https://switchyard.example.com/extension/switchyard.xpi',
        settings: { apiUrl: stack.apiUrl, openMode: 'new-window', signInMethod: 'directory' },
      })['chrome-linux.json'] ?? '',
    ) as Record<string, unknown>;
    chromium = await launchChromiumWithPolicy({ policies: { [POLICY_FILE]: { '3rdparty': linux['3rdparty'] } }, extensionDir: noUrlBuild });
    browser = chromiumScenarioBrowser(chromium.context, PROJECT_EXTENSION_ID, POPUP_PATH);
  });

  afterAll(async () => {
    await chromium?.close();
  });

  describe('the core scenarios, with the backend URL from policy only', () => {
    beforeEach(async () => {
      const popup = await browser.openPopup();
      await clearSessionStorage(popup);
      await browser.closeTabs();
    });

    coreScenarios({ browser: () => browser, stack: () => stack });
  });

  it("shows the policy's settings on the options page, locked, and leaves the others to the person", async () => {
    const options = await chromium.openExtensionPage(PROJECT_EXTENSION_ID, OPTIONS_PATH);
    expect(await optionsField(options, 'apiUrl')).toEqual({ value: stack.apiUrl, disabled: true, lockedNote: "Set by your company's policy." });
    expect(await optionsField(options, 'openMode')).toEqual({ value: 'new-window', disabled: true, lockedNote: "Set by your company's policy." });
    expect(await optionsField(options, 'signInMethod')).toMatchObject({ value: 'directory', disabled: true });
    expect(await optionsField(options, 'defaultRegion')).toEqual({ value: '', disabled: false, lockedNote: null });
    expect(await chromeStorage(options, 'managed')).toEqual({ apiUrl: stack.apiUrl, openMode: 'new-window', signInMethod: 'directory' });
  });

  it('follows a policy change while the browser runs: the options page and the sign-in screen show it, and the old session ends', async () => {
    // A sign-in screen left open names the policy's backend and offers no way to change it.
    const signInScreen = await chromium.openExtensionPage(PROJECT_EXTENSION_ID, POPUP_PATH);
    const footer = signInScreen.locator('footer.backend');
    await expect.poll(() => footer.textContent(), { timeout: 15_000 }).toBe(`Backend: ${stack.apiUrl}`);
    expect(await footer.getByRole('button').count()).toBe(0);

    const popup = await signIn(browser, 'alice', password('alice'));
    await listedRows(popup);
    const options = await chromium.openExtensionPage(PROJECT_EXTENSION_ID, OPTIONS_PATH);
    expect((await optionsField(options, 'apiUrl')).value).toBe(stack.apiUrl);

    await chromium.writePolicy(POLICY_FILE, { '3rdparty': { extensions: { [PROJECT_EXTENSION_ID]: { apiUrl: OTHER_BACKEND } } } });
    // Chromium watches its policy folder and reloads a few seconds after a change; storage.onChanged follows.
    await expect.poll(async () => (await optionsField(options, 'apiUrl')).value, { timeout: 60_000, interval: 1000 }).toBe(OTHER_BACKEND);
    expect((await optionsField(options, 'openMode')).disabled).toBe(false);
    await expect.poll(async () => Object.keys(await storageArea(popup, 'session')), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => footer.textContent(), { timeout: 15_000 }).toBe(`Backend: ${OTHER_BACKEND}`);
  });

  it("never touches the machine's own policy folder", () => {
    expect(existsSync(`/etc/chromium/policies/managed/${POLICY_FILE}.json`)).toBe(false);
  });
});

describe('force-install by policy from a loopback update URL, with no user action', () => {
  let chromium: PolicyChromium;
  let downloads: DownloadServer;
  let packageDir: string;
  let extensionId: string;

  beforeAll(async () => {
    packageDir = join(work, 'package');
    downloads = await startDownloadServer(() => packageDir);
    // A key of its own (a company's), so the ID differs from the project's and the policy must name it.
    const keyPath = join(work, 'company-key.pem');
    extensionId = loadOrCreateSigningKey(keyPath).extensionId;
    await packageExtension({ downloadUrl: downloads.url, keyPath, outDir: packageDir, policySettings: { apiUrl: stack.apiUrl } });
    const policy = JSON.parse(await readFile(join(packageDir, POLICY_FOLDER, 'chrome-linux.json'), 'utf8')) as object;
    chromium = await launchChromiumWithPolicy({ policies: { [POLICY_FILE]: policy } });
  });

  afterAll(async () => {
    await chromium?.close();
    await downloads?.close();
  });

  it('installs the packed CRX named by the update manifest, under the ID of the packing key', async () => {
    expect(extensionId).not.toBe(PROJECT_EXTENSION_ID);
    await expect
      .poll(
        async () => {
          const page = await chromium.context.newPage();
          try {
            await page.goto(`chrome-extension://${extensionId}/${OPTIONS_PATH}`, { timeout: 5_000 });
            await page.locator('#apiUrl').waitFor({ timeout: 2_000 });
            return (await optionsField(page, 'apiUrl')).value;
          } catch {
            return undefined;
          } finally {
            await page.close();
          }
        },
        { timeout: 90_000, interval: 2000 },
      )
      .toBe(stack.apiUrl);
    expect(downloads.fetched).toEqual(expect.arrayContaining([`/extension/${CHROME_UPDATE_FILE}`, `/extension/${CRX_FILE}`]));
  });

  it('runs the installed extension with its settings from policy: locked, and signing in works', async () => {
    const options = await chromium.openExtensionPage(extensionId, OPTIONS_PATH);
    expect(await optionsField(options, 'apiUrl')).toEqual({ value: stack.apiUrl, disabled: true, lockedNote: "Set by your company's policy." });
    const popup = await signIn(chromiumScenarioBrowser(chromium.context, extensionId, POPUP_PATH), 'bob', password('bob'));
    expect(await listedRows(popup)).toHaveLength(EXPECTED.bob.length);
  });
});
