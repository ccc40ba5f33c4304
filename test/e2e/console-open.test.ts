/**
 * Opening consoles from the popup, end to end in real Chromium against the whole local stack (moto,
 * reconciled roles, the HTTP API, the demo directory, the federation stand-in): the modifier keys
 * choose the tab or window, the sign-in goes through the console logout first, a region and a deep
 * link reach the console, pinned destinations, favourites and recents, and a hostile destination is
 * refused in the popup with the backend's own message.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { extensionOnLocalStack } from './extension-on-stack.ts';

interface Chrome {
  chrome: {
    storage: Record<'local' | 'session' | 'sync', { get(keys: string | null): Promise<Record<string, unknown>>; clear(): Promise<void> }>;
    windows: { getAll(options: { populate: boolean }): Promise<{ id: number; tabs?: unknown[] }[]> };
    tabs: {
      getCurrent(): Promise<{ id: number; windowId: number }>;
      query(query: { active: boolean; windowId: number }): Promise<{ id: number }[]>;
    };
  };
}

const testbed = extensionOnLocalStack();

function accountId(name: string): string {
  const id = testbed.stack.accountIds.get(name);
  if (!id) throw new Error(`the local stack has no account named ${name}`);
  return id;
}

async function signInAsAlice(): Promise<Page> {
  const user = testbed.stack.demoUsers.find((candidate) => candidate.username === 'alice');
  if (!user) throw new Error('no demo user alice');
  const popup = await testbed.extension.openPopup();
  await popup.getByLabel('Username').fill('alice');
  await popup.getByLabel('Password').fill(user.password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await popup
    .getByRole('option')
    .first()
    .waitFor()
    .catch(async (error: unknown) => {
      throw new Error(`no list after signing in as alice; the popup showed: ${await popup.locator('body').innerText()}`, { cause: error });
    });
  return popup;
}

function row(popup: Page, account: string, permissionSet: string) {
  return popup
    .getByRole('option')
    .filter({ has: popup.locator('.account-name', { hasText: new RegExp(`^${account}$`) }) })
    .filter({ has: popup.locator('.permission-set', { hasText: new RegExp(`^${permissionSet}$`) }) });
}

/** Selects a row with the keyboard: type enough to make it the first match. */
async function selectRow(popup: Page, account: string, permissionSet: string): Promise<void> {
  await popup.locator('#search').fill(`${account} ${permissionSet}`);
  await expect.poll(() => popup.getByRole('option', { selected: true }).locator('.account-name').textContent()).toBe(account);
}

interface Landed {
  account: string;
  role: string;
  destination: URL;
  /** Redirects on the way: 1 = through the sign-in host's logout. */
  redirects: number;
}

async function landed(tab: Page): Promise<Landed> {
  await tab.locator('[data-field="account"]').waitFor();
  return {
    account: (await tab.textContent('[data-field="account"]')) ?? '',
    role: (await tab.textContent('[data-field="role"]')) ?? '',
    destination: new URL((await tab.textContent('[data-field="destination"]')) ?? ''),
    redirects: await tab.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).redirectCount),
  };
}

/** Whether the popup's tab is still the active one in its window (a background tab leaves it so; a new tab takes over). */
async function popupStillActive(popup: Page): Promise<boolean> {
  return popup.evaluate(async () => {
    const { tabs } = (globalThis as unknown as Chrome).chrome;
    const self = await tabs.getCurrent();
    const [active] = await tabs.query({ active: true, windowId: self.windowId });
    return active?.id === self.id;
  });
}

async function windowsOf(popup: Page) {
  return popup.evaluate(() => (globalThis as unknown as Chrome).chrome.windows.getAll({ populate: true }));
}

/** The region a console URL opens in: its regional host, or its ?region=. */
function regionOf(url: URL): string | null {
  return url.hostname.match(/^([a-z]{2}(?:-gov)?-[a-z]+-\d)\.console\./)?.[1] ?? url.searchParams.get('region');
}

describe('opening consoles from the popup', () => {
  it('Enter opens a new tab; Ctrl+Enter a background tab; Shift+Enter a new window; each through the console logout first', async () => {
    const popup = await signInAsAlice();
    await selectRow(popup, 'sandbox', 'Developer');

    const [front] = await Promise.all([testbed.extension.context.waitForEvent('page'), popup.keyboard.press('Enter')]);
    expect(await landed(front)).toMatchObject({ account: accountId('sandbox'), role: 'Switchyard-Developer', redirects: 1 });
    expect(await popupStillActive(popup)).toBe(false);
    expect(await popup.locator('footer').textContent()).toBe('Opened sandbox as Developer in a new tab.');

    await popup.bringToFront();
    const [back] = await Promise.all([testbed.extension.context.waitForEvent('page'), popup.keyboard.press('Control+Enter')]);
    expect(await landed(back)).toMatchObject({ account: accountId('sandbox'), role: 'Switchyard-Developer' });
    expect(await popupStillActive(popup)).toBe(true);
    expect(await popup.locator('footer').textContent()).toBe('Opened sandbox as Developer in a background tab.');

    const windowsBefore = await windowsOf(popup);
    const [windowed] = await Promise.all([testbed.extension.context.waitForEvent('page'), popup.keyboard.press('Shift+Enter')]);
    expect(await landed(windowed)).toMatchObject({ account: accountId('sandbox') });
    const windowsAfter = await windowsOf(popup);
    expect(windowsAfter).toHaveLength(windowsBefore.length + 1);
    const opened = windowsAfter.find((window) => !windowsBefore.some((before) => before.id === window.id));
    expect(opened?.tabs).toHaveLength(1);
  });

  it('Ctrl-click and Shift-click on a row choose the tab and window too', async () => {
    const popup = await signInAsAlice();
    const [back] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      row(popup, 'data-prod', 'AdministratorAccess').click({ modifiers: ['Control'] }),
    ]);
    expect(await landed(back)).toMatchObject({ account: accountId('data-prod'), role: 'Switchyard-AdministratorAccess' });
    expect(await popupStillActive(popup)).toBe(true);
    const windowsBefore = (await windowsOf(popup)).length;
    const [windowed] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      row(popup, 'payments-dev', 'Developer').click({ modifiers: ['Shift'] }),
    ]);
    expect(await landed(windowed)).toMatchObject({ account: accountId('payments-dev') });
    expect(await windowsOf(popup)).toHaveLength(windowsBefore + 1);
    expect(await popup.locator('footer').textContent()).toBe('Opened payments-dev as Developer in a new window.');
  });

  it('opens a deep link in the region picked for this click', async () => {
    const popup = await signInAsAlice();
    await selectRow(popup, 'payments-prod', 'AdministratorAccess');
    await popup.keyboard.press('ArrowRight');
    const panel = popup.getByRole('dialog', { name: 'Open payments-prod as AdministratorAccess' });
    // The account's regions come first; the first is the default.
    expect(await panel.getByLabel('Region').inputValue()).toBe('eu-west-1');
    await panel.getByLabel('Region').selectOption('us-east-1');
    await panel.getByLabel('Destination', { exact: true }).fill('/ec2/home#Instances:');
    const [tab] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      panel.getByRole('button', { name: 'Open' }).click({ modifiers: ['Control'] }),
    ]);
    const result = await landed(tab);
    expect(result).toMatchObject({ account: accountId('payments-prod'), role: 'Switchyard-AdministratorAccess' });
    expect(result.destination.protocol).toBe('https:');
    expect(result.destination.pathname).toBe('/ec2/home');
    expect(result.destination.hash).toBe('#Instances:');
    expect(regionOf(result.destination)).toBe('us-east-1');

    // Without a choice, the account's first region.
    await popup.bringToFront();
    await panel.getByLabel('Region').selectOption('eu-west-1');
    await panel.getByLabel('Destination', { exact: true }).fill('/s3/home');
    const [second] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      panel.getByRole('button', { name: 'Open' }).click({ modifiers: ['Control'] }),
    ]);
    expect(regionOf((await landed(second)).destination)).toBe('eu-west-1');
  });

  it('opens a console URL pasted from the address bar in the region it names', async () => {
    const popup = await signInAsAlice();
    await selectRow(popup, 'payments-prod', 'AdministratorAccess');
    await popup.keyboard.press('ArrowRight');
    const panel = popup.getByRole('dialog', { name: 'Open payments-prod as AdministratorAccess' });
    // The picker still shows the account's first region (eu-west-1); the pasted URL's region wins.
    await panel
      .getByLabel('Destination', { exact: true })
      .fill('https://eu-central-1.console.aws.amazon.com/ec2/home?region=eu-central-1#Instances:');
    const [tab] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      panel.getByRole('button', { name: 'Open' }).click({ modifiers: ['Control'] }),
    ]);
    const result = await landed(tab);
    expect(result.destination.host).toBe('eu-central-1.console.aws.amazon.com');
    expect(regionOf(result.destination)).toBe('eu-central-1');
    expect(result.destination.hash).toBe('#Instances:');
  });

  it('keeps pinned destinations as shortcuts for any account', async () => {
    let popup = await signInAsAlice();
    await selectRow(popup, 'payments-dev', 'Developer');
    await popup.keyboard.press('ArrowRight');
    let panel = popup.getByRole('dialog');
    await panel.getByLabel('Destination', { exact: true }).fill('/cloudwatch/home');
    await panel.getByLabel('Name for the pinned destination').fill('CloudWatch in eu-west-1');
    await panel.getByRole('button', { name: 'Pin destination' }).click();
    await panel.getByRole('button', { name: 'CloudWatch in eu-west-1', exact: true }).waitFor();
    await popup.close();

    popup = await testbed.extension.openPopup();
    await popup.getByRole('option').first().waitFor();
    await selectRow(popup, 'sandbox', 'Developer');
    await popup.keyboard.press('ArrowRight');
    panel = popup.getByRole('dialog', { name: 'Open sandbox as Developer' });
    const [tab] = await Promise.all([
      testbed.extension.context.waitForEvent('page'),
      panel.getByRole('button', { name: 'CloudWatch in eu-west-1', exact: true }).click({ modifiers: ['Control'] }),
    ]);
    const result = await landed(tab);
    expect(result.account).toBe(accountId('sandbox'));
    expect(result.destination.pathname).toBe('/cloudwatch/home');
    expect(regionOf(result.destination)).toBe('eu-west-1');
  });

  it.each([
    ['a look-alike host', 'https://console.aws.amazon.com.evil.example/ec2/home'],
    ['a protocol-relative URL', '//evil.example.com/'],
    ['a logout redirect to another site', '//signin.aws.amazon.com/federation?Action=logout&redirect_uri=https://evil.example.com/'],
  ])('refuses %s in the popup with the backend’s message, and opens nothing', async (_name, hostile) => {
    const popup = await signInAsAlice();
    // What the backend itself says about it, asked directly with alice's session.
    const token = ((await popup.evaluate(() => (globalThis as unknown as Chrome).chrome.storage.session.get('session'))).session as { token: string })
      .token;
    const answer = await fetch(`${testbed.stack.apiUrl}/federate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: accountId('sandbox'), permissionSet: 'Developer', region: 'us-east-1', destination: hostile }),
    });
    expect(answer.status).toBe(400);
    const refusal = ((await answer.json()) as { error: { message: string } }).error.message;

    await selectRow(popup, 'sandbox', 'Developer');
    await popup.keyboard.press('ArrowRight');
    const panel = popup.getByRole('dialog');
    await panel.getByLabel('Destination', { exact: true }).fill(hostile);
    const pagesBefore = testbed.extension.context.pages().length;
    await panel.getByRole('button', { name: 'Open' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(refusal);
    expect(await alert.textContent()).toMatch(/^Could not open sandbox as Developer\. /);
    expect(await panel.getByLabel('Destination', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(testbed.extension.context.pages()).toHaveLength(pagesBefore);
  });

  it('shows favourites on top and recently used next, ranks them first, and copies an account ID', async () => {
    let popup = await signInAsAlice();
    await row(popup, 'payments-dev', 'Developer').hover();
    await row(popup, 'payments-dev', 'Developer').locator('.star').click();
    await Promise.all([testbed.extension.context.waitForEvent('page'), row(popup, 'sandbox', 'Developer').click({ modifiers: ['Control'] })]);
    // The popup records the pair as recently used once the background says the console opened, after the
    // tab exists: closing it before that write lands would lose it.
    await expect
      .poll(() =>
        popup.evaluate(
          async () => ((await (globalThis as unknown as Chrome).chrome.storage.local.get('recents')).recents as string[] | undefined)?.length ?? 0,
        ),
      )
      .toBe(1);
    await popup.close();

    popup = await testbed.extension.openPopup();
    await popup.getByRole('option').first().waitFor();
    expect(await popup.locator('.section').allTextContents()).toEqual(['Favourites', 'Recently used', 'All accounts']);
    // The copy, star and › controls are drawn as SVG, not as characters a font may lack (an empty box on Debian's Chromium).
    const icons = await popup
      .locator('.account-header .copy, [role="option"] .star, [role="option"] .more')
      .evaluateAll((controls) =>
        controls.map((control) => ({ text: control.textContent, icon: getComputedStyle(control).getPropertyValue('--icon') })),
      );
    expect(icons.length).toBeGreaterThan(3);
    for (const icon of icons) expect(icon).toEqual({ text: '', icon: expect.stringContaining('data:image/svg+xml') });
    // Drawn where shown: the selected row's star and ›.
    const shown = await popup
      .locator('[role="option"][aria-selected="true"] .icon')
      .evaluateAll((controls) => controls.map((control) => getComputedStyle(control, '::before').maskImage));
    expect(shown).toEqual([expect.stringContaining('data:image/svg+xml'), expect.stringContaining('data:image/svg+xml')]);
    const firstTwo = await popup
      .getByRole('option')
      .evaluateAll((rows) =>
        rows
          .slice(0, 2)
          .map((option) => `${option.querySelector('.account-name')?.textContent} ${option.querySelector('.permission-set')?.textContent}`),
      );
    expect(firstTwo).toEqual(['payments-dev Developer', 'sandbox Developer']);
    await popup.keyboard.type('developer');
    await expect
      .poll(() => popup.getByRole('option').evaluateAll((rows) => rows.map((option) => option.querySelector('.account-name')?.textContent)))
      .toEqual(['payments-dev', 'sandbox']);

    await popup.keyboard.press('Control+c');
    // The clipboard write is asynchronous; the footer says so once it is done.
    await expect.poll(() => popup.locator('footer').textContent()).toBe(`Copied account ID ${accountId('payments-dev')}.`);
    expect(await popup.locator('.time-left').textContent()).toMatch(/^\d+ h \d+ min left$/);
  });
});
