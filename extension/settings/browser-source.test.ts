/**
 * The settings source and the options page's writer over an in-memory stand-in for `browser.storage`
 * (areas plus onChanged, as the browser fires it). The real areas are exercised in the e2e suites
 * (test/e2e/managed-policy.test.ts, test/e2e/options.test.ts, test/e2e/firefox*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { makeBrowserSettingsSource } from './browser-source.ts';
import type { ReadableArea, SettingsStorage, StorageChangeListener } from './browser-source.ts';
import { savePersonSettings } from './person-settings.ts';
import type { ResolvedSettings } from './settings.ts';

class FakeArea implements ReadableArea {
  readonly entries = new Map<string, unknown>();
  reads = 0;
  constructor(
    private readonly name: string,
    private readonly storage: FakeStorage,
    private readonly failReads?: Error,
  ) {}
  async get(keys?: string | string[] | null) {
    this.reads++;
    if (this.failReads) throw this.failReads;
    const wanted = keys == null ? [...this.entries.keys()] : typeof keys === 'string' ? [keys] : keys;
    return Object.fromEntries(wanted.filter((key) => this.entries.has(key)).map((key) => [key, structuredClone(this.entries.get(key))]));
  }
  async set(items: Record<string, unknown>) {
    const changes = Object.fromEntries(Object.entries(items).map(([key, newValue]) => [key, { oldValue: this.entries.get(key), newValue }]));
    for (const [key, value] of Object.entries(items)) this.entries.set(key, structuredClone(value));
    this.storage.fire(changes, this.name);
  }
  async remove(keys: string | string[]) {
    const list = typeof keys === 'string' ? [keys] : keys;
    const changes = Object.fromEntries(list.map((key) => [key, { oldValue: this.entries.get(key) }]));
    for (const key of list) this.entries.delete(key);
    this.storage.fire(changes, this.name);
  }
}

class FakeStorage implements SettingsStorage {
  readonly listeners = new Set<StorageChangeListener>();
  readonly managed: FakeArea;
  readonly sync = new FakeArea('sync', this);
  readonly local = new FakeArea('local', this);
  readonly onChanged = {
    addListener: (listener: StorageChangeListener) => void this.listeners.add(listener),
    removeListener: (listener: StorageChangeListener) => void this.listeners.delete(listener),
  };
  constructor(managedFails?: Error) {
    this.managed = new FakeArea('managed', this, managedFails);
  }
  fire(changes: Record<string, unknown>, area: string) {
    for (const listener of this.listeners) listener(changes, area);
  }
}

function nextChange(source: ReturnType<typeof makeBrowserSettingsSource>): Promise<ResolvedSettings> {
  return new Promise((resolve) => {
    const stop = source.onChange((settings) => {
      stop();
      resolve(settings);
    });
  });
}

describe('makeBrowserSettingsSource', () => {
  it('reads policy over the person over the build default', async () => {
    const storage = new FakeStorage();
    await storage.managed.set({ openMode: 'new-window' });
    await storage.sync.set({ apiUrl: 'https://mine.example.com', openMode: 'background-tab' });
    const source = makeBrowserSettingsSource(storage, { apiUrl: 'http://127.0.0.1:8787' });
    const settings = await source.current();
    expect(settings.values).toMatchObject({ apiUrl: 'https://mine.example.com', openMode: 'new-window' });
    expect(settings.lockedByPolicy).toEqual(['openMode']);
  });

  it('treats a managed area that cannot be read (Firefox without policy) as no policy', async () => {
    const storage = new FakeStorage(new Error('Managed storage manifest not found'));
    const source = makeBrowserSettingsSource(storage, { apiUrl: 'http://127.0.0.1:8787' });
    expect((await source.current()).values.apiUrl).toBe('http://127.0.0.1:8787');
  });

  it('reads storage once until something changes, then tells listeners the new settings', async () => {
    const storage = new FakeStorage();
    const source = makeBrowserSettingsSource(storage, {});
    await source.current();
    await source.current();
    expect(storage.sync.reads).toBe(1);

    const changed = nextChange(source);
    await storage.managed.set({ apiUrl: 'https://policy.example.com' });
    expect(await changed).toMatchObject({ values: { apiUrl: 'https://policy.example.com' }, lockedByPolicy: ['apiUrl'] });
    expect(storage.sync.reads).toBe(2);
  });

  it('ignores changes to other areas and to keys that are not settings', async () => {
    const storage = new FakeStorage();
    const source = makeBrowserSettingsSource(storage, {});
    await source.current();
    let calls = 0;
    source.onChange(() => calls++);
    await storage.local.set({ apiUrl: 'https://local.example.com' });
    await storage.sync.set({ favourites: ['x'] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(0);
    expect(storage.sync.reads).toBe(1);
  });
});

describe('savePersonSettings', () => {
  it('stores valid choices normalised, and removes the ones set back to default', async () => {
    const storage = new FakeStorage();
    await storage.sync.set({ defaultRegion: 'eu-west-1' });
    const result = await savePersonSettings(storage.sync, { apiUrl: 'https://api.example.com/', defaultRegion: undefined }, []);
    expect(result).toEqual({ ok: true, saved: { apiUrl: 'https://api.example.com' } });
    expect(Object.fromEntries(storage.sync.entries)).toEqual({ apiUrl: 'https://api.example.com' });
  });

  it('replaces the earlier consoleMultiSession once consoleSessionMode is saved, and reads it until then', async () => {
    const storage = new FakeStorage();
    await storage.sync.set({ consoleMultiSession: true });
    const source = makeBrowserSettingsSource(storage, {});
    expect((await source.current()).values.consoleSessionMode).toBe('multi-session');
    await savePersonSettings(storage.sync, { consoleSessionMode: 'automatic' }, []);
    expect(Object.fromEntries(storage.sync.entries)).toEqual({ consoleSessionMode: 'automatic' });
  });

  it('writes nothing when any value is invalid or locked by policy, and says which', async () => {
    const storage = new FakeStorage();
    const result = await savePersonSettings(storage.sync, { apiUrl: 'http://api.example.com', openMode: 'new-window', defaultRegion: 'eu-west-1' }, [
      'openMode',
    ]);
    expect(result).toEqual({
      ok: false,
      errors: { apiUrl: expect.stringMatching(/must use https/) as string, openMode: "set by your company's policy" },
    });
    expect(storage.sync.entries.size).toBe(0);
  });
});
