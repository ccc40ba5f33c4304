/**
 * Access on request in the extension, in real Chromium against the whole local stack's demo: bob asks for
 * payments-prod Developer in his popup, alice approves (over the API, and in her own popup's "To approve"
 * view), and bob's popup, left open, shows the grant without a manual refresh and opens the console; bob
 * cancels, extends and gives back in his popup, alice revokes what she approved; and with the popup
 * closed, the background's alarm keeps the toolbar badge and the cached list up to date.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { RequestList, RequestView } from '../../shared/api/requests.ts';
import { extensionOnLocalStack } from './extension-on-stack.ts';

const testbed = extensionOnLocalStack();

function password(username: string): string {
  const user = testbed.stack.demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.password;
}

function prodId(): string {
  const id = testbed.stack.accountIds.get('payments-prod');
  if (!id) throw new Error('the local stack has no payments-prod');
  return id;
}

/** Calls the API as a person, the way the CLI or another browser would. */
async function api<T = RequestView>(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${testbed.stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function tokenOf(username: string): Promise<string> {
  const { body } = await api<{ token: string }>(undefined, 'POST', '/session', { username, password: password(username) });
  return body.token;
}

async function signIn(username: string): Promise<Page> {
  const popup = await testbed.extension.openPopup();
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password(username));
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await popup.getByRole('option').first().waitFor();
  return popup;
}

function prodDeveloper(popup: Page) {
  return popup.getByRole('option').filter({ hasText: 'payments-prod' }).filter({ hasText: 'Developer' });
}

/** Asks for the demo's pair in the popup's request form. */
async function requestInPopup(popup: Page, justification: string): Promise<void> {
  const row = prodDeveloper(popup);
  await row.click();
  const form = popup.getByRole('dialog', { name: 'Request payments-prod as Developer' });
  await form.getByLabel('Justification').fill(justification);
  await form.getByRole('button', { name: 'Request' }).click();
  await form.waitFor({ state: 'detached' });
  await expect.poll(() => row.locator('.badge').textContent()).toBe(', pending');
}

/** An extension page that is not the popup, to look at the toolbar button and the background's alarm and storage. */
async function extensionPage(): Promise<Page> {
  const page = await testbed.extension.context.newPage();
  await page.goto(`chrome-extension://${testbed.extension.extensionId}/extension/options/index.html`);
  return page;
}

interface ChromeApis {
  chrome: {
    action: { getBadgeText(details: object): Promise<string> };
    alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined>; create(name: string, info: { when: number }): Promise<void> };
    storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
  };
}

const badgeOnToolbar = (page: Page) => page.evaluate(() => (globalThis as unknown as ChromeApis).chrome.action.getBadgeText({}));
const watchAlarm = (page: Page) =>
  page.evaluate(async () => (await (globalThis as unknown as ChromeApis).chrome.alarms.get('elevation-watch')) ?? null);

describe('access on request in the extension (Chromium)', () => {
  // A test that failed half-way must not leave bob a request or grant that the next one would overlap.
  afterEach(async () => {
    const bob = await tokenOf('bob');
    const { body } = await api<RequestList>(bob, 'GET', '/requests');
    for (const request of body.requests) {
      if (request.state === 'pending') await api(bob, 'POST', `/requests/${request.id}/cancel`, {});
      if (request.state === 'active') await api(bob, 'POST', `/requests/${request.id}/revoke`, { reason: 'test cleanup' });
    }
  });

  it('bob asks in his popup, alice approves, and his open popup shows the grant and opens the console', async () => {
    const popup = await signIn('bob');
    const row = prodDeveloper(popup);
    expect(await row.locator('.badge').textContent()).toBe(', on request');

    // A click without a grant asks instead of failing: the form, with the rule's hint.
    await row.click();
    const form = popup.getByRole('dialog', { name: 'Request payments-prod as Developer' });
    await form.waitFor();
    expect(await form.getByLabel('For').inputValue()).toBe('3600');
    await form.getByLabel('For').waitFor();
    expect(await form.getByLabel('For').locator('option').allTextContents()).toEqual(['15 min', '30 min', '1 h', '2 h']);
    expect(await form.getByLabel('Justification').getAttribute('placeholder')).toBe('e.g. OPS-123');
    await form.getByRole('button', { name: 'Request' }).click();
    expect(await form.getByRole('alert').textContent()).toBe('A justification is required (for example OPS-123).');
    await form.getByLabel('For').selectOption('7200');
    await form.getByLabel('Justification').fill('OPS-123 deploy fix');
    await form.getByRole('button', { name: 'Request' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await popup.getByRole('status').last().textContent()).toBe('Requested payments-prod as Developer: waiting for approval.');
    await expect.poll(() => row.locator('.badge').textContent()).toBe(', pending');

    // Alice approves from elsewhere (the API, as the CLI or the web page would).
    const alice = await tokenOf('alice');
    const { body: waiting } = await api<RequestList>(alice, 'GET', '/approvals');
    const id = waiting.requests[0]?.id ?? '';
    expect(waiting.requests).toMatchObject([
      { requester: { id: expect.stringMatching(/^bob/) }, durationSeconds: 7200, justification: 'OPS-123 deploy fix' },
    ]);
    const approved = await api(alice, 'POST', `/requests/${id}/approve`, { reason: 'go ahead' });
    expect(approved).toMatchObject({ status: 200, body: { state: 'active' } });

    // Bob's popup, never reloaded, picks it up within a few seconds and his click opens the console.
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 10_000 }).toMatch(/^, granted, (2 h 0|1 h 59) min left$/);
    const [tab] = await Promise.all([testbed.extension.context.waitForEvent('page'), row.click()]);
    await tab.waitForLoadState('domcontentloaded');
    const url = new URL(tab.url());
    expect(`${url.origin}${url.pathname}`).toBe(testbed.stack.federationUrl);
    expect(await tab.textContent('[data-field="account"]')).toBe(prodId());
    expect(await tab.textContent('[data-field="role"]')).toBe('Switchyard-Developer');
    expect(await tab.textContent('[data-field="person"]')).toContain('bob');

    // Given back, so the next test starts without a grant.
    const bob = await tokenOf('bob');
    expect(await api(bob, 'POST', `/requests/${id}/revoke`, { reason: 'done' })).toMatchObject({ status: 200, body: { state: 'revoked' } });
  });

  it("alice approves bob's request in her popup's To approve view, with a reason", async () => {
    const bob = await tokenOf('bob');
    const asked = await api(bob, 'POST', '/requests', {
      accountId: prodId(),
      permissionSet: 'Developer',
      durationSeconds: 3600,
      justification: 'OPS-7 incident',
    });
    expect(asked).toMatchObject({ status: 201, body: { state: 'pending' } });

    const popup = await signIn('alice');
    await popup.getByRole('button', { name: 'To approve (1)' }).click();
    const view = popup.getByRole('dialog', { name: 'Requests to approve' });
    const item = view.getByRole('listitem');
    await item.waitFor();
    expect(await item.textContent()).toContain('“OPS-7 incident”');
    // A denial needs a reason: the view says so and sends nothing.
    await item.getByRole('button', { name: 'Deny' }).click();
    expect(await item.getByRole('alert').textContent()).toBe('Give a reason to deny.');
    await item.getByLabel('Reason').fill('looks right');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => popup.getByRole('status').last().textContent()).toMatch(/^Approved and granted: Bob .*payments-prod as Developer\.$/);
    await view.getByText('Nothing waits for your approval.').waitFor();

    const { body: request } = await api(bob, 'GET', `/requests/${asked.body.id}`);
    expect(request).toMatchObject({ state: 'active', approvals: [{ reason: 'looks right' }] });
    await api(bob, 'POST', `/requests/${asked.body.id}/revoke`, { reason: 'done' });
  });

  it('bob cancels a pending request, extends his grant and gives it back in his popup; refusals show in the words of the backend', async () => {
    const popup = await signIn('bob');
    const row = prodDeveloper(popup);
    await requestInPopup(popup, 'OPS-5 cancel me');

    // A pending row opens its request: cancel it.
    await row.click();
    const waiting = popup.getByRole('dialog', { name: 'Your request for payments-prod as Developer' });
    await waiting.getByRole('button', { name: 'Cancel request' }).click();
    await waiting.waitFor({ state: 'detached' });
    expect(await popup.getByRole('status').last().textContent()).toBe('Cancelled your request for payments-prod as Developer.');
    await expect.poll(() => row.locator('.badge').textContent()).toBe(', on request');

    // Asked again and approved elsewhere; bob's next popup open shows the grant.
    const bob = await tokenOf('bob');
    const asked = await api(bob, 'POST', '/requests', {
      accountId: prodId(),
      permissionSet: 'Developer',
      durationSeconds: 3600,
      justification: 'OPS-6',
    });
    const id = asked.body.id;
    expect(await api(await tokenOf('alice'), 'POST', `/requests/${id}/approve`, {})).toMatchObject({ status: 200, body: { state: 'active' } });
    await popup.reload();
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 10_000 }).toMatch(/^, granted, /);

    // The granted badge opens the grant: extend it by the rule's 30 minutes.
    await row.locator('.badge').click();
    const grant = popup.getByRole('dialog', { name: 'Your grant of payments-prod as Developer' });
    // The panel loads when first opened: wait for it before reading its choices.
    await grant.getByLabel('Extend by').waitFor();
    expect(await grant.getByLabel('Extend by').locator('option').allTextContents()).toEqual(['30 min', '15 min']);
    await grant.getByRole('button', { name: 'Extend' }).click();
    await grant.waitFor({ state: 'detached' });
    expect(await popup.getByRole('status').last().textContent()).toMatch(/^Extended payments-prod as Developer until \d\d?:\d\d.*\.$/);
    const { body: extended } = await api(bob, 'GET', `/requests/${id}`);
    expect(extended.extensions).toHaveLength(1);
    expect(Date.parse(extended.endsAt ?? '') - Date.parse(extended.startedAt ?? '')).toBe(5400_000);
    await expect.poll(() => row.locator('.badge').textContent()).toMatch(/^, granted, 1 h (29|30) min left$/);

    // The rule allows one extension: a second is refused, in the backend's words. (The grant opened from the
    // row's region panel this time, the way the keyboard reaches it.)
    await row.hover();
    await row.locator('.icon.more').click();
    await popup.getByRole('dialog', { name: 'Open payments-prod as Developer' }).getByRole('button', { name: 'Your request or grant…' }).click();
    await grant.getByRole('button', { name: 'Extend' }).click();
    expect(await grant.getByRole('alert').textContent()).toBe('This grant has had its 1 extension: ask again.');

    // Giving it back needs a reason; then the pair is on request again and the backend says revoked.
    await grant.getByRole('button', { name: 'Give back now' }).click();
    expect(await grant.getByRole('alert').textContent()).toBe('Give a reason to give the grant back.');
    await grant.getByLabel('Reason to give it back').fill('done early');
    await grant.getByRole('button', { name: 'Give back now' }).click();
    await grant.waitFor({ state: 'detached' });
    expect(await popup.getByRole('status').last().textContent()).toBe('Gave back payments-prod as Developer.');
    await expect.poll(() => row.locator('.badge').textContent()).toBe(', on request');
    expect(await api(bob, 'GET', `/requests/${id}`)).toMatchObject({ body: { state: 'revoked', closed: { reason: 'done early' } } });
  });

  it('alice revokes a grant she approved, from her To approve view', async () => {
    const bob = await tokenOf('bob');
    const asked = await api(bob, 'POST', '/requests', {
      accountId: prodId(),
      permissionSet: 'Developer',
      durationSeconds: 3600,
      justification: 'OPS-8',
    });
    const popup = await signIn('alice');
    await popup.getByRole('button', { name: 'To approve (1)' }).click();
    const view = popup.getByRole('dialog', { name: 'Requests to approve' });
    await view.getByRole('listitem').first().getByRole('button', { name: 'Approve' }).click();
    const granted = view.getByRole('listitem', { name: /^Granted: Bob/ });
    await granted.waitFor();
    await granted.getByRole('button', { name: 'Revoke' }).click();
    expect(await granted.getByRole('alert').textContent()).toBe('Give a reason to revoke.');
    await granted.getByLabel('Reason to revoke').fill('wrong ticket');
    await granted.getByRole('button', { name: 'Revoke' }).click();
    await granted.waitFor({ state: 'detached' });
    expect(await popup.getByRole('status').last().textContent()).toMatch(/^Revoked: Bob .*payments-prod as Developer\.$/);
    expect(await api(bob, 'GET', `/requests/${asked.body.id}`)).toMatchObject({ body: { state: 'revoked', closed: { reason: 'wrong ticket' } } });
  });

  it('with the popup closed, the badge counts the waiting request and an approval refreshes the cached list before the popup opens', async () => {
    const popup = await signIn('bob');
    await requestInPopup(popup, 'OPS-9 while closed');
    await popup.close();

    const page = await extensionPage();
    await expect.poll(() => badgeOnToolbar(page)).toBe('1');
    expect(await watchAlarm(page)).toMatchObject({ periodInMinutes: 0.5 });

    const alice = await tokenOf('alice');
    const { body: waiting } = await api<RequestList>(alice, 'GET', '/approvals');
    const id = waiting.requests[0]?.id ?? '';
    expect(await api(alice, 'POST', `/requests/${id}/approve`, {})).toMatchObject({ status: 200, body: { state: 'active' } });

    // The alarm's next firing, brought forward rather than waited for (the listener in the background is the real one).
    await page.evaluate(() => (globalThis as unknown as ChromeApis).chrome.alarms.create('elevation-watch', { when: Date.now() }));
    await expect.poll(() => badgeOnToolbar(page), { timeout: 10_000 }).toBe('');
    await expect.poll(() => watchAlarm(page)).toBeNull();
    const cached = await page.evaluate(
      async () => (await (globalThis as unknown as ChromeApis).chrome.storage.session.get('entitlements')).entitlements,
    );
    expect(String(cached)).toContain(id);
    expect(String(cached)).toContain('active');

    // The popup's first drawing, from the cache, shows the grant; its click opens the console.
    const reopened = await testbed.extension.openPopup();
    const row = prodDeveloper(reopened);
    expect(await row.locator('.badge').textContent()).toMatch(/^, granted, /);
    const [tab] = await Promise.all([testbed.extension.context.waitForEvent('page'), row.click()]);
    await tab.waitForLoadState('domcontentloaded');
    expect(await tab.textContent('[data-field="person"]')).toContain('bob');
    expect(await api(await tokenOf('bob'), 'POST', `/requests/${id}/revoke`, { reason: 'done' })).toMatchObject({ status: 200 });
  });
});
