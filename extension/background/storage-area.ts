/**
 * The slice of a `browser.storage` area the background uses. In the extension it is `browser.storage.session`
 * (memory only, cleared when the browser closes); tests pass an in-memory area.
 */
export interface KeyValueArea {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** A `KeyValueArea` held in a Map, for tests and for runtimes without storage.session. */
export function memoryArea(): KeyValueArea & { readonly entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    async get(keys) {
      const found: Record<string, unknown> = {};
      for (const key of typeof keys === 'string' ? [keys] : keys) if (entries.has(key)) found[key] = structuredClone(entries.get(key));
      return found;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) entries.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of typeof keys === 'string' ? [keys] : keys) entries.delete(key);
    },
  };
}
