/**
 * Access on request in the extension, written once for every browser harness (core-scenarios.ts's
 * `ScenarioBrowser`): bob asks for the demo's payments-prod Developer in his popup, alice approves over
 * the API, and bob's popup, left open, shows the grant and his click opens the console.
 */
import { expect, it } from 'vitest';
import type { RequestList } from '../../shared/api/requests.ts';
import { clickButton, listedRows, signIn, waitUntil } from './core-scenarios.ts';
import type { ScenarioContext, ScenarioPage } from './core-scenarios.ts';

const ROW = { account: 'payments-prod', permissionSet: 'Developer' };

/** The text of the badge of the demo's on-request row (payments-prod Developer), or undefined while it has none. */
export function badgeText(page: ScenarioPage): Promise<string | null | undefined> {
  return page.evaluate(
    ({ account, permissionSet }) =>
      [...document.querySelectorAll('[role="option"]')]
        .find(
          (row) => row.querySelector('.account-name')?.textContent === account && row.querySelector('.permission-set')?.textContent === permissionSet,
        )
        ?.querySelector('.badge')?.textContent,
    ROW,
  );
}

/**
 * Run in an extension page: once the toolbar badge reads `badge`, the elevation alarm's period in minutes
 * ("none" when no alarm runs); undefined until then.
 */
async function watchedRequests(badge: string): Promise<number | 'none' | undefined> {
  type Apis = {
    action: { getBadgeText(details: object): Promise<string> };
    alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined> };
  };
  const scope = globalThis as unknown as { browser?: Apis; chrome: Apis };
  const api = scope.browser ?? scope.chrome;
  if ((await api.action.getBadgeText({})) !== badge) return undefined;
  return (await api.alarms.get('elevation-watch'))?.periodInMinutes ?? 'none';
}

export async function clickRow(page: ScenarioPage): Promise<void> {
  await page.evaluate(({ account, permissionSet }) => {
    const row = [...document.querySelectorAll<HTMLElement>('[role="option"]')].find(
      (element) =>
        element.querySelector('.account-name')?.textContent === account && element.querySelector('.permission-set')?.textContent === permissionSet,
    );
    if (!row) throw new Error('no payments-prod Developer row');
    row.click();
  }, ROW);
}

export function elevationScenarios(context: ScenarioContext): void {
  const stack = () => context.stack();
  const password = (username: string) => stack().demoUsers.find((user) => user.username === username)?.password ?? '';

  async function api<T>(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack().apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
  const tokenOf = async (username: string) =>
    (await api<{ token: string }>(undefined, 'POST', '/session', { username, password: password(username) })).body.token;

  it('asks for an on-request pair in the popup; an approval shows without a refresh and the click opens the console', async () => {
    const popup = await signIn(context.browser(), 'bob', password('bob'));
    await listedRows(popup);
    expect(await badgeText(popup)).toBe(', on request');

    await clickRow(popup);
    await waitUntil(
      popup,
      () => document.querySelector('[role="dialog"][aria-label="Request payments-prod as Developer"]') !== null,
      null,
      'the form',
    );
    await popup.type('#request-justification', 'OPS-42 from Firefox');
    await clickButton(popup, 'Request');
    await waitUntil(popup, () => document.querySelector('[role="dialog"]') === null, null, 'the form to close');
    await waitUntil(popup, () => document.querySelector('.badge.pending') !== null, null, 'the pending badge');
    // The background watches the waiting request: the toolbar button counts it and the alarm runs.
    expect(await waitUntil(popup, watchedRequests, '1', 'the toolbar badge and the alarm')).toBe(0.5);

    const alice = await tokenOf('alice');
    const waiting = (await api<RequestList>(alice, 'GET', '/approvals')).body.requests;
    expect(waiting).toMatchObject([{ justification: 'OPS-42 from Firefox', durationSeconds: 3600 }]);
    const id = waiting[0]?.id ?? '';
    expect(await api(alice, 'POST', `/requests/${id}/approve`, { reason: 'ok' })).toMatchObject({ status: 200, body: { state: 'active' } });

    await waitUntil(popup, () => document.querySelector('.badge.granted') !== null, null, 'the granted badge', 10_000);
    expect(await waitUntil(popup, watchedRequests, '', 'the toolbar badge cleared and the alarm stopped')).toBe('none');
    expect(await badgeText(popup)).toMatch(/^, granted, (1 h 0|59) min left$/);
    const federationUrl = stack().federationUrl;
    const tab = await context.browser().tabOpenedBy(() => clickRow(popup), federationUrl);
    expect(await tab.field('account')).toBe(stack().accountIds.get('payments-prod'));
    expect(await tab.field('role')).toBe('Switchyard-Developer');
    expect(await tab.field('person')).toContain('bob');

    const bob = await tokenOf('bob');
    expect(await api(bob, 'POST', `/requests/${id}/revoke`, { reason: 'done' })).toMatchObject({ status: 200, body: { state: 'revoked' } });
  });
}
