/**
 * The console's session modes in real Chromium (console-session-scenarios.ts), against the whole local
 * stack; Firefox runs the same scenarios in firefox.test.ts.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { startLocalStack } from '../../backend/local/stack.ts';
import type { LocalStack } from '../../backend/local/stack.ts';
import { consoleSessionScenarios } from './console-session-scenarios.ts';
import { clearSessionStorage } from './core-scenarios.ts';
import type { ScenarioBrowser } from './core-scenarios.ts';
import { buildExtension, loadExtension } from './extension-harness.ts';
import type { LoadedExtension } from './extension-harness.ts';
import { chromiumScenarioBrowser } from './policy-chromium.ts';

let stack: LocalStack;
let extensionDir: string;
let extension: LoadedExtension;
let browser: ScenarioBrowser;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  extensionDir = await buildExtension(stack.apiUrl);
  extension = await loadExtension(extensionDir);
  browser = chromiumScenarioBrowser(extension.context, extension.extensionId, new URL(extension.popupUrl).pathname.slice(1));
});

afterAll(async () => {
  await extension?.close();
  await stack?.stop();
  if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
});

beforeEach(async () => {
  // Every scenario starts signed out, with no other tabs open.
  await clearSessionStorage(await browser.openPopup());
  await browser.closeTabs();
});

describe('console sessions in Chromium', () => {
  consoleSessionScenarios({ browser: () => browser, stack: () => stack });
});
