/**
 * The usual e2e setup of a test file: the whole local stack, the extension built against it and loaded in
 * Chromium, once per file; before each test the extension's storage is cleared (signed out, no favourites
 * or recents) and every tab is closed. Call it at the top level of a test file.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { buildExtension, loadExtension, type LoadedExtension } from './extension-harness.ts';

interface ChromeStorage {
  chrome: { storage: Record<'local' | 'session' | 'sync', { clear(): Promise<void> }> };
}

export interface ExtensionOnStack {
  readonly stack: LocalStack;
  readonly extension: LoadedExtension;
}

export function extensionOnLocalStack(): ExtensionOnStack {
  let stack: LocalStack | undefined;
  let extension: LoadedExtension | undefined;
  let extensionDir: string | undefined;

  beforeAll(async () => {
    stack = await startLocalStack({ apiPort: 0 });
    extensionDir = await buildExtension(stack.apiUrl);
    extension = await loadExtension(extensionDir);
  });

  afterAll(async () => {
    await extension?.close();
    await stack?.stop();
    if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const popup = await started().extension.openPopup();
    await popup.evaluate(async () => {
      const { storage } = (globalThis as unknown as ChromeStorage).chrome;
      await Promise.all([storage.session.clear(), storage.local.clear(), storage.sync.clear()]);
    });
    for (const page of started().extension.context.pages()) await page.close();
  });

  function started(): { stack: LocalStack; extension: LoadedExtension } {
    if (!stack || !extension) throw new Error('the local stack and the extension start in beforeAll');
    return { stack, extension };
  }

  return {
    get stack() {
      return started().stack;
    },
    get extension() {
      return started().extension;
    },
  };
}
