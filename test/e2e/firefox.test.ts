/**
 * The extension in real Firefox ESR (firefox-harness.ts), against the whole local stack: the core scenarios
 * every browser runs (core-scenarios.ts), then a Firefox that only company policy (policies.json) configures:
 * it installs the add-on from the company's download site with no user action and hands the extension its
 * settings through storage.managed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildExtension } from '../../scripts/build/extension.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import type { LocalStack } from '../../backend/local/stack.ts';
import { POLICY_FOLDER, XPI_FILE, packageExtension } from '../../scripts/rollout/package.ts';
import { consoleSessionScenarios } from './console-session-scenarios.ts';
import { elevationScenarios } from './elevation-scenarios.ts';
import { clearSessionStorage, coreScenarios, listedRows, signIn, storageArea, waitUntil, EXPECTED } from './core-scenarios.ts';
import { startDownloadServer } from './download-server.ts';
import type { DownloadServer } from './download-server.ts';
import { GECKO_ID, launchFirefox } from './firefox-harness.ts';
import type { FirefoxWithExtension } from './firefox-harness.ts';

const OPTIONS_PATH = 'extension/options/index.html';

let stack: LocalStack;
let work: string;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  work = await mkdtemp(join(tmpdir(), 'switchyard-firefox-e2e-'));
});

afterAll(async () => {
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('Switchyard in Firefox ESR', () => {
  let firefox: FirefoxWithExtension;

  beforeAll(async () => {
    const extensionDir = join(work, 'firefox-build');
    await buildExtension('firefox', stack.apiUrl, extensionDir);
    firefox = await launchFirefox({ extensionDir });
  });

  afterAll(async () => {
    await firefox?.close();
  });

  beforeEach(async () => {
    // Every scenario starts signed out, with no other tabs open.
    const popup = await firefox.scenarioBrowser.openPopup();
    await clearSessionStorage(popup);
    await firefox.scenarioBrowser.closeTabs();
  });

  coreScenarios({ browser: () => firefox.scenarioBrowser, stack: () => stack });

  it('reads no company policy when there is none, and keeps the backend URL the build gave it', async () => {
    const { scenario } = await firefox.openExtensionPage(OPTIONS_PATH);
    const apiUrl = await waitUntil(
      scenario,
      () => (document.querySelector('#apiUrl') as HTMLInputElement | null)?.value,
      null,
      'the backend URL field',
    );
    expect(apiUrl).toBe(stack.apiUrl);
    expect(await scenario.evaluate(() => (document.querySelector('#apiUrl') as HTMLInputElement).disabled, null)).toBe(false);
  });

  consoleSessionScenarios({ browser: () => firefox.scenarioBrowser, stack: () => stack });

  elevationScenarios({ browser: () => firefox.scenarioBrowser, stack: () => stack });
});

describe('Switchyard in Firefox ESR, installed and configured by company policy (policies.json)', () => {
  let firefox: FirefoxWithExtension;
  let downloads: DownloadServer;
  let packageDir: string;
  let policies: { policies: { ExtensionSettings: Record<string, { install_url: string }> } };

  beforeAll(async () => {
    packageDir = join(work, 'package');
    downloads = await startDownloadServer(() => packageDir);
    // A build with no backend URL of its own: only the policy names the backend.
    await packageExtension({
      downloadUrl: downloads.url,
      keyPath: join(work, 'signing-key.pem'),
      outDir: packageDir,
      policySettings: { apiUrl: stack.apiUrl, openMode: 'new-window' },
    });
    policies = JSON.parse(await readFile(join(packageDir, POLICY_FOLDER, 'firefox-policies.json'), 'utf8')) as typeof policies;
    firefox = await launchFirefox({ policies });
  });

  afterAll(async () => {
    await firefox?.close();
    await downloads?.close();
  });

  it('installs the add-on from the download site named in ExtensionSettings, with no user action', async () => {
    expect(policies.policies.ExtensionSettings[GECKO_ID]?.install_url).toBe(`${downloads.url}${XPI_FILE}`);
    const { scenario } = await firefox.openExtensionPage(OPTIONS_PATH);
    await waitUntil(scenario, () => document.querySelector('#apiUrl') !== null, null, "the installed add-on's options page");
    expect(downloads.fetched).toContain(`/extension/${XPI_FILE}`);
  });

  it("shows the policy's settings on the options page, locked", async () => {
    const { scenario } = await firefox.openExtensionPage(OPTIONS_PATH);
    const field = await waitUntil(
      scenario,
      () => {
        const input = document.querySelector<HTMLInputElement>('#apiUrl');
        return input?.value
          ? { value: input.value, disabled: input.disabled, note: document.querySelector('#apiUrl-locked')?.textContent }
          : undefined;
      },
      null,
      'the backend URL field',
    );
    expect(field).toEqual({ value: stack.apiUrl, disabled: true, note: "Set by your company's policy." });
    expect(await scenario.evaluate(() => document.querySelector<HTMLSelectElement>('#openMode')?.disabled, null)).toBe(true);
    expect(await scenario.evaluate(() => document.querySelector<HTMLInputElement>('#defaultRegion')?.disabled, null)).toBe(false);
  });

  it('signs in against the backend only the policy named', async () => {
    const popup = await signIn(firefox.scenarioBrowser, 'bob', stack.demoUsers.find((user) => user.username === 'bob')?.password ?? '');
    expect(await listedRows(popup)).toHaveLength(EXPECTED.bob.length);
    expect(await storageArea(popup, 'sync')).toEqual({});
  });
});
