/**
 * A session belongs to the backend that issued it. When the backend URL changes (new company policy, or the
 * person edits it on the options page), the old session is dropped instead of being sent to the new URL: a
 * session token must only ever go back to the server that issued it. Wraps the session store; the backend's
 * URL is kept beside the session in the same memory-only area (storage.session).
 */
import type { SessionStore } from './session-store.ts';
import type { KeyValueArea } from './storage-area.ts';

const KEY = 'sessionBackend';

export function bindSessionToBackend(inner: SessionStore, area: KeyValueArea, currentApiUrl: () => Promise<string | undefined>): SessionStore {
  async function clear(): Promise<void> {
    await Promise.all([inner.clear(), area.remove(KEY)]);
  }

  return {
    ...inner,
    async read() {
      const [record, stored, apiUrl] = await Promise.all([inner.read(), area.get(KEY), currentApiUrl()]);
      if (record.kind === 'none') return record;
      if (apiUrl === undefined || stored[KEY] !== apiUrl) {
        await clear();
        return { kind: 'none' };
      }
      return record;
    },
    async save(session) {
      const apiUrl = await currentApiUrl();
      await Promise.all([inner.save(session), area.set({ [KEY]: apiUrl })]);
    },
    clear,
  };
}
