/**
 * The core of the e2e suite, written once for every browser: sign in (a wrong password refused), the list,
 * search, opening a console, where the token is kept, signing out. Each browser's harness adapts its driver
 * (Playwright for Chromium, puppeteer over WebDriver BiDi for Firefox) to `ScenarioBrowser`; the scenarios
 * only read and drive the popup's DOM, through `evaluate`, `type` and `press`, which both drivers have. What the popup's DOM looks like is known here only (SELECTORS).
 */
import { expect, it } from 'vitest';
import type { LocalStack } from '../../backend/local/stack.ts';

export interface ScenarioPage {
  /** Runs `fn` in the page (an extension page: `browser`/`chrome` are there) and returns its result. */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Clicks the element, then types the text. */
  type(selector: string, text: string): Promise<void>;
  /** Presses a key in the focused element, e.g. "Enter", "ArrowDown", "Backspace". */
  press(key: string): Promise<void>;
}

export interface OpenedTab {
  url: string;
  /** The text of `[data-field="<name>"]` on the page (the federation stand-in marks what it received). */
  field(name: string): Promise<string | null>;
}

export interface ScenarioBrowser {
  /** Opens the popup's page in a tab of its own, once its script has drawn something. */
  openPopup(): Promise<ScenarioPage>;
  /** Runs `action` and resolves with the tab it opened whose URL starts with `urlPrefix`, once loaded. */
  tabOpenedBy(action: () => Promise<void>, urlPrefix: string): Promise<OpenedTab>;
  /** Closes every tab, so the next scenario starts afresh. */
  closeTabs(): Promise<void>;
}

export const SELECTORS = {
  username: '#username',
  password: '#password',
  search: '#search',
  list: '[role="listbox"]',
  row: '[role="listbox"] [role="option"]',
  alert: '[role="alert"]',
} as const;

/**
 * The oracle: what each demo user's list holds in the demo policy (account name, permission set): the
 * pairs their groups are assigned, and bob's one pair on request (payments-prod Developer, eligibility).
 */
export const EXPECTED: Record<'alice' | 'bob', [string, string][]> = {
  alice: [
    ['payments-prod', 'AdministratorAccess'],
    ['payments-dev', 'AdministratorAccess'],
    ['data-prod', 'AdministratorAccess'],
    ['sandbox', 'AdministratorAccess'],
    ['payments-dev', 'Developer'],
    ['sandbox', 'Developer'],
  ],
  bob: [
    ['payments-prod', 'ReadOnly'],
    ['data-prod', 'ReadOnly'],
    // On request (the demo's eligibility): listed, marked, opening only while a grant covers it.
    ['payments-prod', 'Developer'],
  ],
};

const WAIT_MS = 20_000;

/** Polls `condition` in the page until it returns something truthy, and returns that (it must be JSON: no DOM nodes). */
export async function waitUntil<R, A>(
  page: ScenarioPage,
  condition: (arg: A) => R,
  arg: A,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<NonNullable<R>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await page.evaluate(condition, arg);
      if (result) return result as NonNullable<R>;
    } catch (error) {
      lastError = error; // the page may still be loading
    }
    if (Date.now() > deadline) {
      const shown = await page.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').trim().slice(0, 400), null).catch(() => '(unreadable)');
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}; the page showed: ${shown}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each listed row as "account-name account-id permission-set", once the list has rows. */
export async function listedRows(page: ScenarioPage, expectedCount?: number): Promise<string[]> {
  return waitUntil(
    page,
    ({ row, count }) => {
      const rows = [...document.querySelectorAll(row)].map((element) =>
        ['.account-name', '.account-id', '.permission-set'].map((selector) => element.querySelector(selector)?.textContent ?? '').join(' '),
      );
      return rows.length > 0 && (count === undefined || rows.length === count) ? rows.sort() : undefined;
    },
    { row: SELECTORS.row, count: expectedCount },
    `${expectedCount ?? 'some'} rows in the list`,
  );
}

export async function storageArea(page: ScenarioPage, area: 'local' | 'session' | 'sync'): Promise<Record<string, unknown>> {
  return page.evaluate(async (which) => {
    const api = (globalThis as unknown as { browser?: unknown; chrome?: unknown }).browser ?? (globalThis as unknown as { chrome: unknown }).chrome;
    return (api as { storage: Record<string, { get(keys: null): Promise<Record<string, unknown>> }> }).storage[which]!.get(null);
  }, area);
}

export async function clearSessionStorage(page: ScenarioPage): Promise<void> {
  await page.evaluate(async () => {
    const api = (globalThis as unknown as { browser?: unknown; chrome?: unknown }).browser ?? (globalThis as unknown as { chrome: unknown }).chrome;
    await (api as { storage: { session: { clear(): Promise<void> } } }).storage.session.clear();
  }, null);
}

/** Clicks the button whose accessible name (its label or text) is `name`. */
export async function clickButton(page: ScenarioPage, name: string): Promise<void> {
  await waitUntil(
    page,
    (wanted) => {
      const button = [...document.querySelectorAll('button')].find(
        (candidate) => (candidate.getAttribute('aria-label') ?? candidate.textContent ?? '').trim() === wanted,
      );
      button?.click();
      return Boolean(button);
    },
    name,
    `a "${name}" button`,
  );
}

export async function signIn(browser: ScenarioBrowser, username: string, password: string): Promise<ScenarioPage> {
  const popup = await browser.openPopup();
  await waitUntil(popup, (selector) => document.querySelector(selector) !== null, SELECTORS.username, 'the sign-in form');
  await popup.type(SELECTORS.username, username);
  await popup.type(SELECTORS.password, password);
  await clickButton(popup, 'Sign in');
  return popup;
}

export interface ScenarioContext {
  browser(): ScenarioBrowser;
  stack(): LocalStack;
}

/** Registers the core scenarios as tests of the calling suite. */
export function coreScenarios(context: ScenarioContext): void {
  const accountId = (name: string) => {
    const id = context.stack().accountIds.get(name);
    if (!id) throw new Error(`the local stack has no account named ${name}`);
    return id;
  };
  const password = (username: string) => {
    const user = context.stack().demoUsers.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`no demo user ${username}`);
    return user.password;
  };
  const expectedRows = (user: keyof typeof EXPECTED) =>
    EXPECTED[user].map(([name, permissionSet]) => `${name} ${accountId(name)} ${permissionSet}`).sort();

  it('refuses a wrong password, keeping nothing', async () => {
    const popup = await signIn(context.browser(), 'alice', 'not-the-password');
    const alert = await waitUntil(popup, (selector) => document.querySelector(selector)?.textContent, SELECTORS.alert, 'the error message');
    expect(alert).toBe('Wrong username or password.');
    expect(await storageArea(popup, 'session')).toEqual({});
  });

  it("signs alice in and lists exactly alice's entitlements", async () => {
    const popup = await signIn(context.browser(), 'alice', password('alice'));
    expect(await listedRows(popup)).toEqual(expectedRows('alice'));
  });

  it("lists bob's entitlements, not alice's", async () => {
    const popup = await signIn(context.browser(), 'bob', password('bob'));
    expect(await listedRows(popup)).toEqual(expectedRows('bob'));
  });

  it('narrows the list as you type', async () => {
    const popup = await signIn(context.browser(), 'alice', password('alice'));
    await listedRows(popup, EXPECTED.alice.length);
    await popup.type(SELECTORS.search, 'sandbox');
    expect(await listedRows(popup, 2)).toEqual([`sandbox ${accountId('sandbox')} AdministratorAccess`, `sandbox ${accountId('sandbox')} Developer`]);
    await popup.type(SELECTORS.search, ' dev');
    expect(await listedRows(popup, 1)).toEqual([`sandbox ${accountId('sandbox')} Developer`]);
  });

  it('opens the console sign-in for the row alice picks, for that account, role and person', async () => {
    const popup = await signIn(context.browser(), 'alice', password('alice'));
    await listedRows(popup, EXPECTED.alice.length);
    await popup.type(SELECTORS.search, 'payments-dev Developer');
    await listedRows(popup, 1);
    const federationUrl = context.stack().federationUrl;
    const tab = await context.browser().tabOpenedBy(() => popup.press('Enter'), federationUrl);
    const url = new URL(tab.url);
    expect(`${url.origin}${url.pathname}`).toBe(federationUrl);
    expect(url.searchParams.get('Action')).toBe('login');
    expect(await tab.field('account')).toBe(accountId('payments-dev'));
    expect(await tab.field('role')).toBe('Switchyard-Developer');
    expect(await tab.field('person')).toContain('alice');
  });

  it('keeps the session token in storage.session only: nothing in storage.local or storage.sync', async () => {
    const popup = await signIn(context.browser(), 'alice', password('alice'));
    await listedRows(popup);
    const token = ((await storageArea(popup, 'session')).session as { token?: unknown } | undefined)?.token;
    expect(typeof token).toBe('string');
    // storage.local holds only the recently used rows (not secret); neither area holds a token.
    const local = await storageArea(popup, 'local');
    expect(Object.keys(local).filter((key) => key !== 'recents')).toEqual([]);
    expect(JSON.stringify(local)).not.toContain(token as string);
    expect(JSON.stringify(await storageArea(popup, 'sync'))).not.toContain(token as string);
  });

  it('signs out: the sign-in form comes back and the session is gone', async () => {
    const popup = await signIn(context.browser(), 'bob', password('bob'));
    await listedRows(popup);
    await clickButton(popup, 'Sign out');
    await waitUntil(popup, (selector) => document.querySelector(selector) !== null, SELECTORS.username, 'the sign-in form after signing out');
    expect(await storageArea(popup, 'session')).toEqual({});
  });
}
