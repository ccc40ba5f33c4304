/**
 * The background's KeyValueArea (extension/background/storage-area.ts) over one of the page's Web Storage
 * areas, values as JSON under a prefix. The page keeps its session and list in sessionStorage (this tab
 * only, gone when it closes; never localStorage, never a cookie) and the person's preferences in
 * localStorage (not secret).
 */
import type { KeyValueArea } from '../extension/background/storage-area.ts';

const PREFIX = 'switchyard:';

export function webStorageArea(storage: Storage): KeyValueArea {
  const keysOf = (keys: string | string[]) => (typeof keys === 'string' ? [keys] : keys);
  return {
    async get(keys) {
      const found: Record<string, unknown> = {};
      for (const key of keysOf(keys)) {
        const stored = storage.getItem(PREFIX + key);
        if (stored === null) continue;
        try {
          found[key] = JSON.parse(stored);
        } catch {
          // Not ours, or damaged: read as absent.
        }
      }
      return found;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) storage.setItem(PREFIX + key, JSON.stringify(value));
    },
    async remove(keys) {
      for (const key of keysOf(keys)) storage.removeItem(PREFIX + key);
    },
  };
}
