/**
 * The walking skeleton end to end, in real Chromium: the built extension against the whole local stack
 * (moto, reconciled IAM roles, HTTP API, demo directory, federation stand-in).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { extensionOnLocalStack } from './extension-on-stack.ts';
import { EXPECTED } from './core-scenarios.ts';

interface ChromeStorage {
  chrome: {
    storage: Record<
      'local' | 'session' | 'sync',
      { get(keys: null): Promise<Record<string, unknown>>; set(items: object): Promise<void>; clear(): Promise<void> }
    >;
  };
}

const testbed = extensionOnLocalStack();
let screenshots: string;

beforeAll(async () => {
  screenshots = process.env.SWITCHYARD_E2E_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'switchyard-shots-')));
  console.log(`e2e: screenshots in ${screenshots}`);
});

function accountId(name: string): string {
  const id = testbed.stack.accountIds.get(name);
  if (!id) throw new Error(`the local stack has no account named ${name}`);
  return id;
}

function expectedRows(user: keyof typeof EXPECTED): string[] {
  return EXPECTED[user].map(([name, permissionSet]) => `${name} ${accountId(name)} ${permissionSet}`).sort();
}

/** Each listed row as "account-name account-id permission-set", read from what the popup shows. */
async function listedRows(popup: Page): Promise<string[]> {
  const rows = popup.getByRole('listbox', { name: 'Accounts and roles' }).getByRole('option');
  await rows.first().waitFor();
  return (
    await rows.evaluateAll((elements) =>
      elements.map((row) =>
        ['.account-name', '.account-id', '.permission-set'].map((selector) => row.querySelector(selector)?.textContent ?? '').join(' '),
      ),
    )
  ).sort();
}

async function signIn(username: string, password: string): Promise<Page> {
  const popup = await testbed.extension.openPopup();
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  return popup;
}

function demoPassword(username: string): string {
  const user = testbed.stack.demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.password;
}

async function storage(popup: Page, area: 'local' | 'session'): Promise<Record<string, unknown>> {
  return popup.evaluate((which) => (globalThis as unknown as ChromeStorage).chrome.storage[which].get(null), area);
}

/** Checks the tab opened by a click is the federation stand-in's login page for this account, role and person. */
async function expectConsoleTab(tab: Page, account: string, permissionSet: string, person: string): Promise<void> {
  await tab.waitForLoadState('domcontentloaded');
  const url = new URL(tab.url());
  expect(`${url.origin}${url.pathname}`).toBe(testbed.stack.federationUrl);
  expect(url.searchParams.get('Action')).toBe('login');
  expect(await tab.textContent('[data-field="account"]')).toBe(accountId(account));
  expect(await tab.textContent('[data-field="role"]')).toBe(`Switchyard-${permissionSet}`);
  expect(await tab.textContent('[data-field="person"]')).toContain(person);
}

describe('Switchyard extension in Chromium', () => {
  it('loads as an unpacked extension with a background service worker', () => {
    expect(testbed.extension.extensionId).toMatch(/^[a-p]{32}$/);
    expect(testbed.extension.serviceWorker.url()).toBe(`chrome-extension://${testbed.extension.extensionId}/service-worker-loader.js`);
  });

  it('shows the sign-in form, focused, and refuses a wrong password', async () => {
    const popup = await testbed.extension.openPopup();
    await popup.getByLabel('Username').waitFor();
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('username');
    await popup.screenshot({ path: join(screenshots, 'sign-in.png') });

    await popup.getByLabel('Username').fill('alice');
    await popup.getByLabel('Password').fill('not-the-password');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    expect(await popup.getByRole('alert').textContent()).toBe('Wrong username or password.');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('password');
    expect(await storage(popup, 'session')).toEqual({});
    await popup.screenshot({ path: join(screenshots, 'sign-in-error.png') });
  });

  it("lists exactly alice's entitlements, with the search box focused", async () => {
    const popup = await signIn('alice', demoPassword('alice'));
    const rows = await listedRows(popup);
    await popup.screenshot({ path: join(screenshots, 'list-alice.png') });
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('search');
    expect(rows).toEqual(expectedRows('alice'));
  });

  it('opens the console sign-in for the account and role of the row alice clicks', async () => {
    const popup = await signIn('alice', demoPassword('alice'));
    await listedRows(popup);
    const row = popup.getByRole('option').filter({ hasText: 'payments-dev' }).filter({ hasText: 'Developer' });
    const [tab] = await Promise.all([testbed.extension.context.waitForEvent('page'), row.click()]);
    await expectConsoleTab(tab, 'payments-dev', 'Developer', 'alice');
    expect(await popup.getByRole('status').last().textContent()).toBe('Opened payments-dev as Developer in a new tab.');
  });

  it('keeps the session token in storage.session only, never storage.local', async () => {
    const popup = await signIn('alice', demoPassword('alice'));
    await listedRows(popup);
    const session = await storage(popup, 'session');
    const token = (session.session as { token?: unknown } | undefined)?.token;
    expect(typeof token).toBe('string');
    expect(await storage(popup, 'local')).toEqual({});
    expect(JSON.stringify(await storage(popup, 'local'))).not.toContain(token as string);
  });

  it('narrows the list as you type; arrow keys move and Enter opens the selected row', async () => {
    const popup = await signIn('alice', demoPassword('alice'));
    await listedRows(popup);
    await popup.keyboard.type('sandbox');
    expect(await listedRows(popup)).toEqual([`sandbox ${accountId('sandbox')} AdministratorAccess`, `sandbox ${accountId('sandbox')} Developer`]);
    await popup.keyboard.type(' dev');
    expect(await listedRows(popup)).toEqual([`sandbox ${accountId('sandbox')} Developer`]);
    for (let i = 0; i < ' dev'.length; i++) await popup.keyboard.press('Backspace');
    expect(await listedRows(popup)).toHaveLength(2);
    await popup.screenshot({ path: join(screenshots, 'list-search.png') });

    await popup.keyboard.press('ArrowDown');
    expect(await popup.getByRole('option', { selected: true }).locator('.permission-set').textContent()).toBe('Developer');
    const [tab] = await Promise.all([testbed.extension.context.waitForEvent('page'), popup.keyboard.press('Enter')]);
    await expectConsoleTab(tab, 'sandbox', 'Developer', 'alice');
  });

  it('shows bob a different list, and the backend refuses him an account he is not entitled to', async () => {
    const popup = await signIn('bob', demoPassword('bob'));
    expect(await listedRows(popup)).toEqual(expectedRows('bob'));
    await popup.screenshot({ path: join(screenshots, 'list-bob.png') });

    const reply = await popup.evaluate(
      (target) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
          type: 'console/open',
          target,
        }),
      { accountId: accountId('sandbox'), permissionSet: 'AdministratorAccess' },
    );
    expect(reply).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(testbed.extension.context.pages()).toHaveLength(1);
  });

  it('signs out, and a 401 from the backend brings back the sign-in form', async () => {
    let popup = await signIn('bob', demoPassword('bob'));
    await listedRows(popup);
    await popup.getByRole('button', { name: 'Sign out' }).click();
    await popup.getByLabel('Username').waitFor();
    expect(await storage(popup, 'session')).toEqual({});

    popup = await signIn('bob', demoPassword('bob'));
    await listedRows(popup);
    const session = (await storage(popup, 'session')).session as Record<string, unknown>;
    // Both tokens forged: the backend refuses the token and its renewal, so the session has ended.
    await popup.evaluate((forged) => (globalThis as unknown as ChromeStorage).chrome.storage.session.set({ session: forged }), {
      ...session,
      token: 'forged.token.value',
      refreshToken: 'forged.refresh.token',
    });
    // The list stays, read-only, with a way to sign in again.
    const reopened = await testbed.extension.openPopup();
    await reopened.getByRole('button', { name: 'Sign in again' }).waitFor();
    expect(await reopened.getByRole('alert').first().textContent()).toMatch(/^Your session ended\. The list below is from before\./);
    expect(JSON.stringify(await storage(reopened, 'session'))).not.toMatch(/forged|"token"/);
    await reopened.getByRole('button', { name: 'Sign in again' }).click();
    await reopened.getByLabel('Username').waitFor();
    expect(await reopened.getByRole('status').textContent()).toMatch(/session has expired/i);
  });
});
