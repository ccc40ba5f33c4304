/**
 * The popup at 2,000 entries in real Chromium: drawn from the cache with only the visible rows in
 * the DOM, left alone by an unchanged refresh, searched and ranked, driven by the keyboard, with
 * favourites, and its expired, offline and empty states. The backend is a loopback list server
 * (test/helpers/list-backend.ts): these tests are about the popup, not the demo organization.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { buildExtension, loadExtension } from './extension-harness.ts';
import type { LoadedExtension } from './extension-harness.ts';
import { manyEntitlements } from '../fixtures/many-entitlements.ts';
import { startListBackend } from '../helpers/list-backend.ts';
import type { ListBackend } from '../helpers/list-backend.ts';

const SIZE = 2_000;
const entitlements = manyEntitlements(SIZE);
const user = { id: 'scale@corp.example.com', displayName: 'Scale Tester', groups: ['Everyone'] };

interface Chrome {
  chrome: {
    runtime: { sendMessage(message: unknown): Promise<{ ok: boolean }> };
    storage: Record<
      'local' | 'session' | 'sync',
      { get(keys: string | null): Promise<Record<string, unknown>>; set(items: object): Promise<void>; clear(): Promise<void> }
    >;
  };
}

let backend: ListBackend;
let extensionDir: string;
let extension: LoadedExtension;

beforeAll(async () => {
  backend = await startListBackend(user);
  backend.serve(entitlements);
  extensionDir = await buildExtension(backend.url);
  extension = await loadExtension(extensionDir);
});

afterAll(async () => {
  await extension?.close();
  await backend?.close();
  if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
});

beforeEach(async () => {
  backend.serve(entitlements);
  const page = await extension.openPopup();
  await page.evaluate(async () => {
    const { chrome } = globalThis as unknown as Chrome;
    await Promise.all([chrome.storage.session.clear(), chrome.storage.local.clear(), chrome.storage.sync.clear()]);
    await chrome.runtime.sendMessage({ type: 'session/sign-in', credentials: { username: 'scale', password: 'scale' } });
  });
  for (const open of extension.context.pages()) await open.close();
});

async function openList(): Promise<Page> {
  const popup = await extension.openPopup();
  await popup.getByRole('option').first().waitFor();
  return popup;
}

const options = (popup: Page) => popup.getByRole('listbox', { name: 'Accounts and roles' }).getByRole('option');
const selected = (popup: Page) => popup.getByRole('option', { selected: true });
const count = (popup: Page) => popup.locator('.count').textContent();

/** The texts the search's highlight paints (CSS Custom Highlight API), in the order they were found. */
const highlighted = (popup: Page) =>
  popup.evaluate(() =>
    [...(CSS.highlights.get('switchyard-match') ?? [])].map((range) => (range.startContainer as Text).data.slice(range.startOffset, range.endOffset)),
  );

/** The refresh has landed when the quiet indicator is gone. */
async function refreshed(popup: Page): Promise<void> {
  await popup.waitForFunction(() => !document.querySelector('.sync.refreshing'));
}

describe(`the popup with ${SIZE.toLocaleString('en')} entries`, () => {
  it('draws the cached list with only the visible rows in the DOM, and an unchanged refresh leaves it alone', async () => {
    const fetchesBefore = backend.fetches;
    const popup = await openList();
    expect(await count(popup)).toBe(String(SIZE));
    const inDom = await options(popup).count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(40);
    await popup.evaluate(() => ((document.querySelector('[role=option]') as HTMLElement & { marked?: boolean }).marked = true));
    await refreshed(popup);
    expect(backend.fetches).toBe(fetchesBefore + 1);
    // The same element is still there: nothing was rebuilt.
    expect(await popup.evaluate(() => (document.querySelector('[role=option]') as HTMLElement & { marked?: boolean }).marked)).toBe(true);
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('search');
  });

  it('draws the new list when the refresh brings one', async () => {
    const popup = await openList();
    backend.serve(entitlements.slice(0, 10));
    await popup.reload();
    await popup.waitForFunction(() => document.querySelector('.count')?.textContent === '10');
    expect(await options(popup).count()).toBe(10);
  });

  it('ranks exact and prefix matches first, matches words in any order, and highlights them', async () => {
    const popup = await openList();
    await popup.keyboard.type('payments-prod-0');
    await expect.poll(() => options(popup).first().locator('.account-name').textContent()).toBe('payments-prod-0');
    // Prefix before substring: "pay" starts "payments-..." but only appears inside other names.
    await popup.keyboard.press('Escape');
    await popup.keyboard.type('prod payments');
    const forward = await options(popup).locator('.account-name').allTextContents();
    expect(forward.every((name) => name.startsWith('payments-prod-'))).toBe(true);
    expect((await highlighted(popup))[0]).toMatch(/^(prod|payments)$/i);
    await popup.keyboard.press('Escape');
    expect(await popup.locator('#search').inputValue()).toBe('');
    await popup.keyboard.type('payments prod');
    expect(await count(popup)).toBe(`${(await count(popup))?.split(' of ')[0]} of ${SIZE}`);
    expect(await options(popup).locator('.account-name').allTextContents()).toEqual(forward);
    await popup.keyboard.type(' readonly');
    const roles = await options(popup).locator('.permission-set').allTextContents();
    expect(new Set(roles)).toEqual(new Set(['ReadOnly']));
    await popup.keyboard.type(' nothing-like-this');
    expect(await popup.locator('.empty').textContent()).toBe('Nothing matches “payments prod readonly nothing-like-this”.');
  });

  it('highlights the rows in view, and the rows a scroll brings into view', async () => {
    const popup = await openList();
    await popup.keyboard.type('prod');
    await expect.poll(() => count(popup)).not.toBe(String(SIZE));
    // Every match of "prod" has it in its account's name: each row in view has it highlighted.
    const rowsInView = () =>
      popup.evaluate(() => {
        const view = (document.getElementById('entitlement-list') as HTMLElement).getBoundingClientRect();
        const shown = [...document.querySelectorAll('[role=option]')].filter((row) => {
          const box = row.getBoundingClientRect();
          return box.bottom > view.top && box.top < view.bottom;
        });
        const ranges = [...(CSS.highlights.get('switchyard-match') ?? [])];
        const marked = (row: Element) => ranges.some((range) => row.querySelector('.account-name')?.contains(range.startContainer));
        return { shown: shown.length, unmarked: shown.filter((row) => !marked(row)).length };
      });
    expect((await rowsInView()).unmarked).toBe(0);
    for (const by of [20, 400, 2_000]) {
      await popup.locator('#entitlement-list').evaluate((list, pixels) => list.scrollBy(0, pixels), by);
      // The rows of the new place are drawn a frame after the scroll: wait for them, then for their highlights.
      await expect.poll(async () => (await rowsInView()).shown).toBeGreaterThan(5);
      await expect.poll(rowsInView).toMatchObject({ unmarked: 0 });
    }
  });

  it('acts on the row each drawn row shows after typing on keeps it: its star, its hover and its panel', async () => {
    const popup = await openList();
    await popup.keyboard.type('paymen');
    await expect.poll(() => highlighted(popup)).toContain('paymen');
    const shownBefore = await options(popup).locator('.account-name').allTextContents();
    // "payment" matches the same rows, ranked the same: the rows drawn stay, and Preact does not draw them again.
    await popup.keyboard.type('t');
    await expect.poll(() => highlighted(popup)).toContain('payment');
    expect(await options(popup).locator('.account-name').allTextContents()).toEqual(shownBefore);
    const second = options(popup).nth(1);
    const secondName = await second.locator('.account-name').textContent();
    const secondText = `${secondName} ${await second.locator('.permission-set').textContent()}`;
    await second.hover();
    await expect.poll(() => selected(popup).locator('.account-name').textContent()).toBe(secondName);
    await second.locator('.icon.star').click();
    await expect.poll(() => second.locator('.icon.star').getAttribute('class')).toContain('on');
    await second.locator('.icon.more').click();
    await expect.poll(() => popup.locator('.panel').first().textContent()).toContain(secondName);
    await popup.keyboard.press('Escape');
    await popup.locator('#search').fill('');
    await expect.poll(() => popup.locator('.section').first().textContent()).toBe('Favourites');
    const favourite = options(popup).first();
    expect(`${await favourite.locator('.account-name').textContent()} ${await favourite.locator('.permission-set').textContent()}`).toBe(secondText);
  });

  it('moves with arrows, Page Up/Down and Home/End, keeping the active row in the DOM; / focuses the search box', async () => {
    const popup = await openList();
    const activeId = () => popup.locator('#search').getAttribute('aria-activedescendant');
    const firstId = await activeId();
    expect(await selected(popup).getAttribute('id')).toBe(firstId);
    await popup.keyboard.press('End');
    await expect.poll(async () => (await selected(popup).locator('.permission-set').textContent()) ?? '').toBe(entitlements.at(-1)?.permissionSet);
    expect(await selected(popup).locator('.account-name').textContent()).toBe(entitlements.at(-1)?.accountName);
    expect(await selected(popup).getAttribute('id')).toBe(await activeId());
    await popup.keyboard.press('Home');
    expect(await activeId()).toBe(firstId);
    await popup.keyboard.press('ArrowUp'); // wraps to the last row
    expect(await selected(popup).locator('.account-name').textContent()).toBe(entitlements.at(-1)?.accountName);
    await popup.keyboard.press('Home');
    await popup.keyboard.press('PageDown');
    const afterPage = await selected(popup).locator('.account-name').textContent();
    const rowsPassed = entitlements.findIndex((entry) => entry.accountName === afterPage);
    expect(rowsPassed).toBeGreaterThan(3);
    await popup.keyboard.press('PageUp');
    expect(await activeId()).toBe(firstId);

    await popup.getByRole('button', { name: 'Sign out' }).focus();
    await popup.keyboard.press('/');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('search');
    expect(await popup.locator('#search').inputValue()).toBe('');
  });

  it('moves through a search with End, Home, Page Down and arrows, keeping the active row drawn and in view', async () => {
    const popup = await openList();
    await popup.keyboard.type('prod');
    await expect.poll(() => highlighted(popup)).toContain('prod');
    const matches = Number((await count(popup))?.split(' of ')[0]);
    expect(matches).toBeGreaterThan(100);
    const activeInView = () =>
      popup.evaluate(() => {
        const list = (document.getElementById('entitlement-list') as HTMLElement).getBoundingClientRect();
        const active = document.getElementById(document.getElementById('search')?.getAttribute('aria-activedescendant') ?? '');
        const box = active?.getBoundingClientRect();
        return !!box && box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
      });
    await popup.keyboard.press('End');
    await expect.poll(() => popup.locator('#search').getAttribute('aria-activedescendant')).toBe(`option-${matches - 1}`);
    await expect.poll(activeInView).toBe(true);
    expect(await selected(popup).locator('.account-name').textContent()).toMatch(/prod/);
    await popup.keyboard.press('ArrowDown'); // wraps to the first
    await expect.poll(() => popup.locator('#search').getAttribute('aria-activedescendant')).toBe('option-0');
    await expect.poll(activeInView).toBe(true);
    await popup.keyboard.press('PageDown');
    await popup.keyboard.press('PageDown');
    await expect.poll(() => popup.locator('#search').getAttribute('aria-activedescendant')).not.toBe('option-0');
    await expect.poll(activeInView).toBe(true);
    await popup.keyboard.press('Home');
    await expect.poll(() => popup.locator('#search').getAttribute('aria-activedescendant')).toBe('option-0');
    await expect.poll(activeInView).toBe(true);
    // Typing on scrolls back to the top of the new matches.
    await popup.keyboard.press('End');
    await popup.keyboard.type(' payments');
    await expect.poll(() => popup.locator('#entitlement-list').evaluate((list) => list.scrollTop)).toBe(0);
    await expect.poll(() => options(popup).first().locator('.account-name').textContent()).toMatch(/^payments-prod/);
  });

  it('pins a favourite on top with Alt+F, and keeps it on the next open', async () => {
    let popup = await openList();
    await popup.keyboard.type('search-dev');
    // The list narrows on a later frame: the row to pin must come from the narrowed list.
    await expect.poll(() => options(popup).first().locator('.account-name').textContent()).toMatch(/^search-dev/);
    await popup.keyboard.press('ArrowDown');
    await expect.poll(() => selected(popup).locator('.account-name').textContent()).toMatch(/^search-dev/);
    const chosen = `${await selected(popup).locator('.account-name').textContent()} ${await selected(popup).locator('.permission-set').textContent()}`;
    await popup.keyboard.press('Alt+f');
    await popup.keyboard.press('Escape');
    await expect.poll(() => popup.locator('.section').first().textContent()).toBe('Favourites');
    const first = options(popup).first();
    expect(`${await first.locator('.account-name').textContent()} ${await first.locator('.permission-set').textContent()}`).toBe(chosen);
    await popup.close();

    popup = await openList();
    expect(await popup.locator('.section').first().textContent()).toBe('Favourites');
    expect(await options(popup).first().textContent()).toContain('favourite');
    // Ranked first among equally good matches, too.
    await popup.keyboard.type(chosen.split(' ')[0]?.split('-').slice(0, 2).join('-') ?? '');
    const top = options(popup).first();
    expect(`${await top.locator('.account-name').textContent()} ${await top.locator('.permission-set').textContent()}`).toBe(chosen);
  });

  it('draws the next open from the head the background kept, while the whole list is still being read, and then searches the whole list', async () => {
    // A favourite far down the list: the head holds its row as well as the first rows.
    const far = entitlements[1_900]!;
    let popup = await openList();
    await popup.evaluate(
      (key) => (globalThis as unknown as Chrome).chrome.storage.sync.set({ favourites: [key] }),
      `${far.accountId}:${far.permissionSet}`,
    );
    await popup.close();
    popup = await openList();
    // The head this open keeps once the popup is idle, cut for the favourite (an earlier open's head has the same
    // version, without it). Polled with evaluate: waitForFunction takes an async predicate's promise as true at once.
    const headKept = (key: string) =>
      popup.evaluate(async (key) => {
        const stored = await (globalThis as unknown as Chrome).chrome.storage.session.get(null);
        const head = stored['entitlements-head'] as { version?: string; keys?: string[] } | undefined;
        return head?.version === (stored['entitlements-meta'] as { version: string }).version && !!head.keys?.includes(key);
      }, key);
    await expect.poll(() => headKept(`${far.accountId}:${far.permissionSet}`)).toBe(true);
    const firstScreen = await options(popup).allTextContents();
    expect(firstScreen[0]).toContain(far.accountName);
    await popup.close();

    // Pages whose storage.session answers a read of the whole list 2 s late, and which count the rows removed.
    const openSlowly = async () => {
      const page = await extension.context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      await page.addInitScript(() => {
        const area = (globalThis as unknown as Chrome).chrome.storage.session;
        const get = area.get.bind(area);
        const state = globalThis as unknown as { wholeListRead?: boolean; removedRows: number };
        state.removedRows = 0;
        area.get = async (keys) => {
          const answer = await get(keys);
          if (!Array.isArray(keys) || !keys.includes('entitlements')) return answer;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          state.wholeListRead = true;
          return answer;
        };
        new MutationObserver((records) => {
          for (const record of records)
            for (const node of record.removedNodes) if (node instanceof HTMLElement && node.getAttribute('role') === 'option') state.removedRows++;
        }).observe(document, { subtree: true, childList: true });
      });
      await page.goto(extension.popupUrl);
      await page.getByRole('option').first().waitFor({ timeout: 1_500 });
      expect(await page.evaluate(() => (globalThis as { wholeListRead?: boolean }).wholeListRead)).toBeUndefined();
      return page;
    };
    const wholeListRead = (page: Page) => page.waitForFunction(() => (globalThis as { wholeListRead?: boolean }).wholeListRead === true);

    popup = await openSlowly();
    expect(await options(popup).allTextContents()).toEqual(firstScreen);
    expect(await count(popup)).toBe(String(SIZE));
    // Keys pressed while the head is drawn: the selection stays where they put it when the whole list comes.
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('ArrowDown');
    const chosen = await selected(popup).textContent();
    await wholeListRead(popup);
    await refreshed(popup);
    expect(await options(popup).allTextContents()).toEqual(firstScreen);
    expect(await selected(popup).textContent()).toBe(chosen);
    // The whole list took the head's place without rebuilding a row.
    expect(await popup.evaluate(() => (globalThis as unknown as { removedRows: number }).removedRows)).toBe(0);
    const deep = entitlements[1_500]!;
    await popup.keyboard.type(deep.accountName);
    await expect.poll(() => options(popup).first().locator('.account-name').textContent()).toBe(deep.accountName);
    await popup.close();

    // End on the head: the last row of the whole list once it is in.
    popup = await openSlowly();
    await popup.keyboard.press('End');
    await wholeListRead(popup);
    await expect.poll(() => selected(popup).locator('.account-name').textContent()).toBe(entitlements.at(-1)?.accountName);
  });

  it('shows an expired session read-only, with the list, and offers to sign in again', async () => {
    const popup = await openList();
    await refreshed(popup);
    await popup.evaluate(async () => {
      const { chrome } = globalThis as unknown as Chrome;
      const meta = (await chrome.storage.session.get('entitlements-meta'))['entitlements-meta'] as Record<string, unknown>;
      await chrome.storage.session.set({ 'entitlements-meta': { ...meta, expiresAt: new Date(Date.now() - 60_000).toISOString() } });
    });
    await popup.reload();
    await popup.getByRole('option').first().waitFor();
    expect(await popup.getByRole('alert').first().textContent()).toMatch(/^Your session ended at .+\. The list below is from before\./);
    const pagesBefore = extension.context.pages().length;
    await options(popup).first().click();
    expect(await popup.locator('footer[role=alert]').textContent()).toBe('Your session has ended. Sign in again to open consoles.');
    expect(extension.context.pages()).toHaveLength(pagesBefore);
    await popup.getByRole('button', { name: 'Sign in again' }).click();
    await popup.getByLabel('Username').waitFor();
  });

  it('says when the backend cannot be reached, and still shows the list it had', async () => {
    const popup = await openList();
    await refreshed(popup);
    await backend.close();
    try {
      await popup.reload();
      await popup.getByRole('option').first().waitFor();
      await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 20_000 }).toMatch(/^Offline · list from /);
      expect(await count(popup)).toBe(String(SIZE));
    } finally {
      backend = await startListBackendOnSamePort(backend.url);
    }
  });
});

/** The extension was built against one URL: bring the list backend back there. */
async function startListBackendOnSamePort(url: string): Promise<ListBackend> {
  const port = Number(new URL(url).port);
  for (let attempt = 0; attempt < 20; attempt++) {
    const next = await startListBackend(user, undefined, port).catch(() => undefined);
    if (next) {
      next.serve(entitlements);
      return next;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`could not listen on ${url} again`);
}
