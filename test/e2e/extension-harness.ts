/**
 * Builds the extension with `vite build --mode chrome` into a temp dir and loads it, unpacked, into Debian's
 * Chromium through playwright-core. Debian's Chromium honours --load-extension in headless mode (checked on
 * Chromium 156), so no extra feature flags are needed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page, Worker } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds dist for Chrome pointing at `apiUrl`; returns the output directory (a fresh temp dir). */
export async function buildExtension(apiUrl: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'switchyard-ext-'));
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, [vite, 'build', '--mode', 'chrome'], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_API_URL: apiUrl, SWITCHYARD_OUT_DIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`vite build --mode chrome failed (exit ${code}):\n${output.join('')}`);
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
