/**
 * The popup's first reads, as the boot script starts them and the entry takes them. The browser's storage
 * areas are played by objects answering `get` as storage does (the popup's e2e tests run the real thing
 * in Chromium and Firefox); only the hand-over and its checks are tested here.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_KEY, LIST_KEY, META_KEY } from '../list-cache/cached-list.ts';
import type * as PopupStart from './popup-start.ts';

type Area = Record<string, unknown>;
const areas: { session: Area; sync: Area | 'fails'; local: Area; reads: string[] } = { session: {}, sync: {}, local: {}, reads: [] };

function area(name: 'session' | 'sync' | 'local') {
  return {
    get(keys: string | string[]) {
      areas.reads.push(name);
      const held = areas[name];
      if (held === 'fails') return Promise.reject(new Error('storage.sync is not available'));
      return Promise.resolve(
        Object.fromEntries(
          [keys]
            .flat()
            .filter((key) => key in held)
            .map((key) => [key, held[key]]),
        ),
      );
    },
  };
}

let start: typeof PopupStart;
beforeAll(async () => {
  (globalThis as { browser?: unknown }).browser = { storage: { session: area('session'), sync: area('sync'), local: area('local') } };
  start = await import('./popup-start.ts');
});

afterEach(() => {
  areas.session = {};
  areas.sync = {};
  areas.local = {};
  areas.reads = [];
});

const meta = { userId: 'bob@corp.example.com', displayName: 'Bob', version: 'v1', fetchedAt: '2026-12-07T00:00:00.000Z' };
const list = {
  format: 1,
  accounts: [['111111111111', 'payments-prod', '#c00', ['eu-west-1'], '', '']],
  permissionSets: [['Developer', '', '']],
  rows: [0, 0],
};

describe('the popup start', () => {
  it('hands the reads the boot script started to the entry, which reads nothing again', async () => {
    areas.session = { [LIST_KEY]: JSON.stringify(list), [META_KEY]: meta };
    areas.sync = { favourites: ['111111111111:Developer'], pinnedDestinations: [{ label: 'EC2', destination: '/ec2' }] };
    areas.local = { recents: ['111111111111:Developer', 7] };
    start.startReadsForEntry();
    // The head and the preferences at once; the whole list, large, once their answers are in.
    expect(areas.reads).toEqual(['session', 'sync', 'local']);
    const { wholeList, preferences } = start.takeStart();
    expect(await wholeList()).toEqual({ list, meta });
    expect(areas.reads).toEqual(['session', 'sync', 'local', 'session']);
    expect(await start.takeStart().head).toBeUndefined();
    expect(await preferences).toEqual({
      favourites: ['111111111111:Developer'],
      recents: ['111111111111:Developer'],
      pinned: [{ label: 'EC2', destination: '/ec2' }],
    });
    expect(areas.reads).toHaveLength(4 + 4);
  });

  it('reads for itself when no boot script ran, and a second entry does not take the first one’s reads', async () => {
    areas.session = { [LIST_KEY]: JSON.stringify(list), [META_KEY]: meta };
    start.startReadsForEntry();
    await start.takeStart().wholeList();
    const again = start.takeStart();
    expect(await again.wholeList()).toEqual({ list, meta });
    expect(areas.reads.filter((read) => read === 'session')).toHaveLength(4);
  });

  it('takes a damaged list as none, and preferences it cannot read as empty, without rejecting', async () => {
    areas.session = { [LIST_KEY]: '{"format":1,', [META_KEY]: meta };
    areas.sync = 'fails';
    start.startReadsForEntry();
    const { wholeList, preferences } = start.takeStart();
    expect(await wholeList()).toBeUndefined();
    expect(await preferences).toEqual({ favourites: [], recents: [], pinned: [] });

    areas.session = { [LIST_KEY]: JSON.stringify({ ...list, rows: [0] }), [META_KEY]: meta };
    expect(await start.takeStart().wholeList()).toBeUndefined();
    areas.session = { [LIST_KEY]: JSON.stringify(list), [META_KEY]: { ...meta, version: 1 } };
    expect(await start.takeStart().wholeList()).toBeUndefined();
  });

  it("hands over the list's head when one of this list was kept for these favourites and recents, and the whole list after it", async () => {
    const head = { version: 'v1', rows: 2_000, list, keys: ['111111111111:Developer'] };
    areas.session = { [LIST_KEY]: JSON.stringify(list), [META_KEY]: meta, [HEAD_KEY]: head };
    areas.sync = { favourites: ['111111111111:Developer'] };
    start.startReadsForEntry();
    const taken = start.takeStart();
    expect(await taken.head).toEqual({ list, meta, rows: 2_000 });
    expect(await taken.wholeList()).toEqual({ list, meta });

    // Another version's head, a head without the rows of a newer favourite, a damaged head: the whole list is drawn.
    areas.session = { ...areas.session, [HEAD_KEY]: { ...head, version: 'v0' } };
    expect(await start.takeStart().head).toBeUndefined();
    areas.session = { ...areas.session, [HEAD_KEY]: head };
    areas.sync = { favourites: ['111111111111:Developer', '222222222222:Admin'] };
    expect(await start.takeStart().head).toBeUndefined();
    areas.sync = { favourites: [] };
    areas.session = { ...areas.session, [HEAD_KEY]: { ...head, list: { ...list, rows: [0] } } };
    expect(await start.takeStart().head).toBeUndefined();
    areas.session = { ...areas.session, [HEAD_KEY]: { version: 'v1', rows: 2_000, list } };
    expect(await start.takeStart().head).toBeUndefined();
  });
});
