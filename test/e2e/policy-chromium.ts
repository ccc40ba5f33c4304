/**
 * Debian's Chromium with managed browser policy, without touching the machine's policy folder.
 *
 * Chromium reads policy from /etc/chromium/policies/managed/*.json, a folder every Chromium on the machine
 * shares (other test runs among them), and every build with the project's key has the same extension ID. So
 * each browser started here runs in a mount namespace of its own (`unshare --mount`), where a private copy of
 * /etc/chromium is bind-mounted over the real one: only that browser sees this test's policy. As root (the tests
 * and CI run as root) that is all; as another user, `unshare --user --map-root-user` adds a user namespace
 * (needs unprivileged user namespaces). Playwright starts the wrapper script as if it were Chromium.
 */
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import type { BrowserContext, Page } from 'playwright';
import { binaryPath } from '../../scripts/prerequisites/index.ts';
import type { ScenarioBrowser, ScenarioPage } from './core-scenarios.ts';

const SYSTEM_CHROMIUM_ETC = '/etc/chromium';

export interface PolicyChromium {
  context: BrowserContext;
  /** Rewrites policies/managed/<name>.json in this browser's private folder (Chromium notices within seconds). */
  writePolicy(name: string, policy: object): Promise<void>;
  /** Opens chrome-extension://<id>/<path> in a new tab. */
  openExtensionPage(extensionId: string, path: string): Promise<Page>;
  close(): Promise<void>;
}

export interface PolicyChromiumOptions {
  /** File name (without .json) -> policy, written to the private policies/managed/ before start. */
  policies: Record<string, object>;
  /** Loads this unpacked extension (--load-extension). Without it, only policy installs extensions. */
  extensionDir?: string;
}

export async function launchChromiumWithPolicy(options: PolicyChromiumOptions): Promise<PolicyChromium> {
  const chromiumBinary = binaryPath('chromium');
  if (!existsSync(chromiumBinary))
    throw new Error(`no Chromium at ${chromiumBinary}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
  if (!existsSync(SYSTEM_CHROMIUM_ETC)) {
    throw new Error(`${SYSTEM_CHROMIUM_ETC} does not exist: this test needs the policy folder of Debian's Chromium to mount its own over it`);
  }
  const work = await mkdtemp(join(tmpdir(), 'switchyard-policy-chromium-'));
  const etc = join(work, 'etc-chromium');
  const managed = join(etc, 'policies', 'managed');
  const userDataDir = join(work, 'profile');
  await cp(SYSTEM_CHROMIUM_ETC, etc, { recursive: true });
  await mkdir(managed, { recursive: true });
  await mkdir(userDataDir);
  const writePolicy = (name: string, policy: object) => writeFile(join(managed, `${name}.json`), JSON.stringify(policy, null, 2));
  for (const [name, policy] of Object.entries(options.policies)) await writePolicy(name, policy);
  // Chromium keeps DevTools (and so Playwright) away from the pages of extensions that policy installed, unless
  // DeveloperToolsAvailability is 1: a test-only policy, never in the files we ship.
  await writePolicy('playwright-devtools', { DeveloperToolsAvailability: 1 });

  const wrapper = join(work, 'chromium-with-private-policy.sh');
  const userNamespace = process.getuid?.() === 0 ? '' : '--user --map-root-user ';
  await writeFile(
    wrapper,
    [
      '#!/bin/sh',
      "# Chromium in a mount namespace of its own, with this test's copy of /etc/chromium (see test/e2e/policy-chromium.ts).",
      `exec ${binaryPath('unshare')} ${userNamespace}--mount --propagation private sh -c 'mount --bind "$0" ${SYSTEM_CHROMIUM_ETC} && exec "$@"' ${shellQuote(etc)} ${shellQuote(chromiumBinary)} "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(wrapper, 0o755);

  const extensionArgs = options.extensionDir
    ? [`--disable-extensions-except=${options.extensionDir}`, `--load-extension=${options.extensionDir}`]
    : [];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: wrapper,
      headless: true,
      args: [...extensionArgs, '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
      // Force-installs need the extension system and its updater, which Playwright's defaults switch off.
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking', '--disable-component-update'],
    });
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    writePolicy,
    async openExtensionPage(extensionId, path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The core scenarios' view (core-scenarios.ts) of a Chromium context with the extension at `extensionId`. */
export function chromiumScenarioBrowser(context: BrowserContext, extensionId: string, popupPath: string): ScenarioBrowser {
  const asScenario = (page: Page): ScenarioPage => ({
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async type(selector, text) {
      await page.click(selector);
      await page.keyboard.type(text);
    },
    press: (key) => page.keyboard.press(key),
  });
  return {
    async openPopup() {
      const page = await context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      await page.goto(`chrome-extension://${extensionId}/${popupPath}`);
      return asScenario(page);
    },
    async tabOpenedBy(action, urlPrefix) {
      const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 20_000 }), action()]);
      await tab.waitForURL((url) => url.href.startsWith(urlPrefix));
      await tab.waitForLoadState('domcontentloaded');
      return { url: tab.url(), field: (name) => tab.textContent(`[data-field="${name}"]`) };
    },
    async closeTabs() {
      for (const page of context.pages()) await page.close();
    },
  };
}
