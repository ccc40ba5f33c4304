/**
 * Builds the extension with `vite build --mode chrome` into a temp dir and loads it, unpacked, into Debian's
 * Chromium through Playwright. Debian's Chromium honours --load-extension in headless mode (checked on
 * Chromium 156), so no extra feature flags are needed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import type { BrowserContext, Page, Worker } from 'playwright';
import { buildExtension as buildExtensionFor } from '../../scripts/build/extension.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the Chrome extension pointing at `apiUrl` into a fresh temp dir and returns it. */
export async function buildExtension(apiUrl: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'switchyard-ext-'));
  await buildExtensionFor('chrome', apiUrl, outDir);
  return outDir;
}

export interface LoadedExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** chrome-extension://<id>/<action.default_popup> */
  popupUrl: string;
  /** Opens the popup page in a tab of its own (a real toolbar popup cannot be driven headless). */
  openPopup(): Promise<Page>;
  close(): Promise<void>;
}

export async function loadExtension(extensionDir: string): Promise<LoadedExtension> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'switchyard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const serviceWorker =
      context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const extensionId = new URL(serviceWorker.url()).host;
    const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8')) as {
      action?: { default_popup?: string };
    };
    const popupPath = manifest.action?.default_popup;
    if (!popupPath) throw new Error(`${extensionDir}/manifest.json has no action.default_popup`);
    const popupUrl = `chrome-extension://${extensionId}/${popupPath}`;
    return {
      context,
      extensionId,
      serviceWorker,
      popupUrl,
      async openPopup() {
        const page = await context.newPage();
        await page.setViewportSize({ width: 380, height: 600 });
        await page.goto(popupUrl);
        return page;
      },
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
