/**
 * Access on request in the extension, in real Chromium against the whole local stack's demo: bob asks for
 * payments-prod Developer in his popup, alice approves (over the API, and in her own popup's "To approve"
 * view), and bob's popup, left open, shows the grant without a manual refresh and opens the console.
 */
import { describe, expect, it } from 'vitest';
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

describe('access on request in the extension (Chromium)', () => {
  it('bob asks in his popup, alice approves, and his open popup shows the grant and opens the console', async () => {
    const popup = await signIn('bob');
    const row = prodDeveloper(popup);
    expect(await row.locator('.badge').textContent()).toBe(', on request');

    // A click without a grant asks instead of failing: the form, with the rule's hint.
    await row.click();
    const form = popup.getByRole('dialog', { name: 'Request payments-prod as Developer' });
    await form.waitFor();
    expect(await form.getByLabel('For').inputValue()).toBe('3600');
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
});
