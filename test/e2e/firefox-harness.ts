/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright cannot drive stock Firefox).
 * Steps checked on Firefox ESR 153 here: `--remote-allow-system-access` lets BiDi install an add-on;
 * `xpinstall.signatures.required: false` (honoured by ESR) lets it take our unsigned build; the pref
 * `extensions.webextensions.uuids` fixes the add-on's moz-extension://<uuid>/ host. Navigating to an
 * extension page never reports "load" over BiDi, so pages are opened without waiting and polled instead.
 *
 * Company policy (policies.json) comes from the distribution folder beside the Firefox binary, shared by every
 * Firefox on the machine: as for Chromium (policy-chromium.ts), each Firefox started with a policy runs in a
 * mount namespace of its own where a private copy of that folder is bind-mounted over the real one.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import manifest from '../../manifest.json' with { type: 'json' };
import { binaryPath } from '../../scripts/prerequisites/index.ts';
import { waitUntil } from './core-scenarios.ts';
import type { OpenedTab, ScenarioBrowser, ScenarioPage } from './core-scenarios.ts';

export const GECKO_ID = manifest.browser_specific_settings.gecko.id;
const POPUP_PATH = manifest.action.default_popup;

export interface FirefoxWithExtension {
  browser: Browser;
  /** The add-on's moz-extension:// host. */
  uuid: string;
  /** Opens moz-extension://<uuid>/<path> in a new tab without waiting for "load" (see above). */
  openExtensionPage(path: string): Promise<{ page: Page; scenario: ScenarioPage }>;
  /** The core scenarios' view of this browser (core-scenarios.ts). */
  scenarioBrowser: ScenarioBrowser;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  /** Installs this unpacked build as a temporary add-on over BiDi. */
  extensionDir?: string;
  /** policies.json content, seen by this Firefox only. */
  policies?: object;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxWithExtension> {
  const firefox = binaryPath('firefox-esr');
  if (!existsSync(firefox)) throw new Error(`no Firefox ESR at ${firefox}: install it (apt-get install firefox-esr) or set FIREFOX_PATH`);
  const work = await mkdtemp(join(tmpdir(), 'switchyard-firefox-'));
  const uuid = randomUUID();
  let browser: Browser;
  try {
    const executablePath = options.policies ? await privatePolicyWrapper(work, firefox, options.policies) : firefox;
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'xpinstall.signatures.required': false,
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      },
    });
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  try {
    if (options.extensionDir) await browser.installExtension(options.extensionDir);
  } catch (error) {
    await browser.close();
    await rm(work, { recursive: true, force: true });
    throw error;
  }

  async function openExtensionPage(path: string) {
    const page = await browser.newPage();
    const scenario = scenarioPage(page);
    const deadline = Date.now() + 30_000;
    // The navigation's own promise never settles with "load" for moz-extension:// pages: poll for content instead.
    // A page asked for before a policy install has finished fails to load: ask again until the add-on is there.
    for (;;) {
      page.goto(`moz-extension://${uuid}/${path}`).catch(() => undefined);
      try {
        await waitUntil(
          scenario,
          () => location.protocol === 'moz-extension:' && document.readyState !== 'loading' && (document.body?.children.length ?? 0) > 0,
          null,
          `moz-extension://…/${path}`,
          3_000,
        );
        return { page, scenario };
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  const scenarioBrowser: ScenarioBrowser = {
    async openPopup() {
      const opened = await openExtensionPage(POPUP_PATH);
      await waitUntil(opened.scenario, () => document.querySelector('#app')?.children.length, null, 'the popup to draw');
      return opened.scenario;
    },
    async tabOpenedBy(action, urlPrefix) {
      const target = browser.waitForTarget((candidate) => candidate.url().startsWith(urlPrefix), { timeout: 20_000 });
      await action();
      const page = await (await target).page();
      if (!page) throw new Error(`the tab at ${urlPrefix} has no page`);
      const scenario = scenarioPage(page);
      await waitUntil(scenario, () => document.readyState === 'complete', null, `${urlPrefix} to load`);
      return openedTab(page);
    },
    async closeTabs() {
      // Firefox quits with its last window: keep one empty tab.
      const keep = await browser.newPage();
      for (const page of await browser.pages()) if (page !== keep) await page.close();
    },
  };

  return {
    browser,
    uuid,
    openExtensionPage,
    scenarioBrowser,
    async close() {
      await browser.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

function scenarioPage(page: Page): ScenarioPage {
  return {
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async type(selector, text) {
      await page.click(selector);
      await page.keyboard.type(text);
    },
    async press(key) {
      await page.keyboard.press(key as never);
    },
  };
}

function openedTab(page: Page): OpenedTab {
  return {
    url: page.url(),
    field: (name) => page.evaluate((field) => document.querySelector(`[data-field="${field}"]`)?.textContent ?? null, name),
  };
}

/** A script that starts Firefox with a private copy of its distribution folder (where policies.json lives). */
async function privatePolicyWrapper(work: string, firefox: string, policies: object): Promise<string> {
  const distribution = realpathSync(join(dirname(realpathSync(firefox)), 'distribution'));
  const privateDistribution = join(work, 'distribution');
  await cp(distribution, privateDistribution, { recursive: true });
  await writeFile(join(privateDistribution, 'policies.json'), JSON.stringify(policies, null, 2));
  const wrapper = join(work, 'firefox-with-private-policy.sh');
  const userNamespace = process.getuid?.() === 0 ? '' : '--user --map-root-user ';
  await writeFile(
    wrapper,
    [
      '#!/bin/sh',
      "# Firefox in a mount namespace of its own, with this test's policies.json (see test/e2e/firefox-harness.ts).",
      `exec ${binaryPath('unshare')} ${userNamespace}--mount --propagation private sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' ${quote(privateDistribution)} ${quote(distribution)} ${quote(firefox)} "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
