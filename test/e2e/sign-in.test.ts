/**
 * Signing in through the popup, in real Chromium, both ways a deployment offers:
 *   - with the company directory: a Samba AD DC on a loopback address of its own (LDAPS, nested groups);
 *   - with single sign-on: a Cognito user pool in moto behind a loopback stand-in of its hosted UI,
 *     through the extension's identity.launchWebAuthFlow (its window is a page Playwright can drive).
 * Each person sees their list and signs out; a session that runs out asks to sign in again and keeps
 * the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { Attribute, Change } from 'ldapts';
import type { Person } from '../../shared/api/person.ts';
import { personDn, DEMO_SEED, type SambaDomain } from '../../backend/local/samba.ts';
import { ldapSignInEnv } from '../../backend/local/samba-sign-in.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { createDemoUserPool, type DemoUserPool } from '../helpers/cognito-pool.ts';
import { startHostedUiStandIn, type HostedUiStandIn } from '../helpers/hosted-ui-stand-in.ts';
import { startTestDirectory } from '../helpers/samba.ts';
import { buildExtension, loadExtension, type LoadedExtension } from './extension-harness.ts';
import { rm } from 'node:fs/promises';

interface ChromeApi {
  chrome: { storage: { session: { get(keys: null): Promise<Record<string, unknown>>; set(items: object): Promise<void>; clear(): Promise<void> } } };
}

let domain: SambaDomain;
let pool: DemoUserPool;
let hostedUi: HostedUiStandIn;
let stack: LocalStack;
let extensionDir: string;
let extension: LoadedExtension;

beforeAll(async () => {
  domain = await startTestDirectory({ groups: [], people: [] });
  stack = await startLocalStack({
    apiPort: 0,
    signIn: async (moto) => {
      pool = await createDemoUserPool(moto.settings);
      hostedUi = await startHostedUiStandIn(moto.settings, pool.userPoolId);
      return { ...(await ldapSignInEnv(domain, moto)), ...pool.env(hostedUi.url) };
    },
  });
  extensionDir = await buildExtension(stack.apiUrl);
  extension = await loadExtension(extensionDir);
  // The admin registers the extension's redirect URL with the app client, as for any browser extension.
  await pool.setCallbackUrls([`https://${extension.extensionId}.chromiumapp.org/`]);
});

afterAll(async () => {
  await extension?.close();
  await stack?.stop();
  await hostedUi?.close();
  await domain?.stop();
  if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
});

async function freshPopup(): Promise<Page> {
  const popup = await extension.openPopup();
  await popup.evaluate(() => (globalThis as unknown as ChromeApi).chrome.storage.session.clear());
  for (const page of extension.context.pages()) if (page !== popup) await page.close();
  await popup.reload();
  return popup;
}

async function sessionStorage(popup: Page): Promise<Record<string, unknown>> {
  return popup.evaluate(() => (globalThis as unknown as ChromeApi).chrome.storage.session.get(null));
}

/** Each listed row as "account-name permission-set". */
async function listedRows(popup: Page): Promise<string[]> {
  const rows = popup.getByRole('listbox', { name: 'Accounts and roles' }).getByRole('option');
  await rows.first().waitFor();
  return (
    await rows.evaluateAll((elements) =>
      elements.map((row) => ['.account-name', '.permission-set'].map((selector) => row.querySelector(selector)?.textContent ?? '').join(' ')),
    )
  ).sort();
}

const ALICE = [
  'data-prod AdministratorAccess',
  'payments-dev AdministratorAccess',
  'payments-dev Developer',
  'payments-prod AdministratorAccess',
  'sandbox AdministratorAccess',
  'sandbox Developer',
];

async function signOut(popup: Page): Promise<void> {
  await popup.getByRole('button', { name: 'Sign out' }).click();
  await popup.getByLabel('Username').waitFor();
}

describe('signing in through the popup', () => {
  it('offers both ways this deployment has: single sign-on and the directory form', async () => {
    const popup = await freshPopup();
    await popup.getByRole('button', { name: 'Sign in with single sign-on' }).waitFor();
    await popup.getByLabel('Username').waitFor();
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('username');
  });

  it('with the directory (Samba AD): alice sees her list, Developer through a nested group, and signs out everywhere', async () => {
    const popup = await freshPopup();
    await popup.getByLabel('Username').fill('CORP\\alice');
    await popup.getByLabel('Password').fill('alice-demo-password');
    await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await listedRows(popup)).toEqual(ALICE);
    const { token, refreshToken } = (await sessionStorage(popup)).session as { token: string; refreshToken: string };

    await signOut(popup);
    expect(await sessionStorage(popup)).toEqual({});
    // Ended on the server: the tokens the browser held no longer work anywhere.
    // Signing out waits at most 3 s for the backend's answer (a busy machine can take longer): the session ends when it comes.
    await expect
      .poll(async () => (await fetch(`${stack.apiUrl}/entitlements`, { headers: { authorization: `Bearer ${token}` } })).status, { timeout: 15_000 })
      .toBe(401);
    const refreshed = await fetch(`${stack.apiUrl}/session/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(refreshed.status).toBe(401);
  });

  it('with single sign-on (Cognito in moto, hosted UI stand-in): the sign-in window opens, alice signs in there, sees her list, signs out', async () => {
    const popup = await freshPopup();
    const [window] = await Promise.all([
      extension.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Sign in with single sign-on' }).click(),
    ]);
    await window.waitForLoadState('domcontentloaded');
    expect(window.url().startsWith(`${hostedUi.url}/oauth2/authorize?`)).toBe(true);
    expect(new URL(window.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await window.getByLabel('Username').fill('alice');
    await window.getByLabel('Password').fill('alice-demo-password');
    await window.getByRole('button', { name: 'Sign in' }).click();

    expect(await listedRows(popup)).toEqual(ALICE);
    const session = (await sessionStorage(popup)).session as { source: string; user: Person };
    expect(session.source).toBe('cognito');
    expect(session.user.displayName).toBe('Alice (Cognito)');
    expect(hostedUi.calls).toContain('token:authorization_code');

    await signOut(popup);
    expect(await sessionStorage(popup)).toEqual({});
    expect(hostedUi.calls).toContain('revoke');
  });

  it('a wrong password on the hosted UI keeps the window open with its error; closing it reports a cancelled sign-in', async () => {
    const popup = await freshPopup();
    const [window] = await Promise.all([
      extension.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Sign in with single sign-on' }).click(),
    ]);
    await window.getByLabel('Username').fill('bob');
    await window.getByLabel('Password').fill('not-bobs-password');
    await window.getByRole('button', { name: 'Sign in' }).click();
    expect(await window.getByRole('alert').textContent()).toBe('Incorrect username or password.');
    await window.close();
    expect(await popup.getByRole('alert').textContent()).toMatch(/cancelled/);
    expect(await sessionStorage(popup)).toEqual({});
  });
});

describe('a session that runs out', () => {
  it('renews itself while the person may still sign in, then asks to sign in again and keeps the list', async () => {
    const popup = await freshPopup();
    await popup.getByLabel('Username').fill('bob');
    await popup.getByLabel('Password').fill('bob-demo-password');
    await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
    const bobs = await listedRows(popup);
    expect(bobs).toEqual(['data-prod ReadOnly', 'payments-prod Developer', 'payments-prod ReadOnly']);

    // An access token the backend no longer takes (as after its minutes are up): the refresh token renews it.
    const stored = (await sessionStorage(popup)).session as Record<string, unknown>;
    const setToken = (page: Page, token: string) =>
      page.evaluate(async (value) => {
        const area = (globalThis as unknown as ChromeApi).chrome.storage.session;
        const { session } = (await area.get(null)) as { session: Record<string, unknown> };
        await area.set({ session: { ...session, token: value } });
      }, token);
    await setToken(popup, 'no-longer-valid.token.value');
    let reopened = await extension.openPopup();
    expect(await listedRows(reopened)).toEqual(bobs);
    await expect.poll(async () => ((await sessionStorage(reopened)).session as { token?: string }).token).not.toBe('no-longer-valid.token.value');
    expect(((await sessionStorage(reopened)).session as { token: string }).token).not.toBe(stored.token);

    // Bob's account is disabled in the directory: the next renewal is refused and the session is over.
    const admin = await domain.adminClient();
    try {
      const bob = DEMO_SEED.people.find((person) => person.username === 'bob')!;
      await admin.modify(
        personDn(bob),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['514'] }) }),
      );
    } finally {
      await admin.unbind();
    }
    await setToken(reopened, 'no-longer-valid.token.value');
    reopened = await extension.openPopup();
    // The list stays, read-only, and the person is asked to sign in again.
    await reopened.getByRole('button', { name: 'Sign in again' }).waitFor();
    expect(await listedRows(reopened)).toEqual(bobs);
    const kept = await sessionStorage(reopened);
    expect(JSON.stringify(kept)).not.toContain('refreshToken');
    expect(kept.session).toMatchObject({ expired: true, user: { id: 'bob@corp.example.com' } });
    expect(JSON.stringify(kept)).toContain('data-prod');
    await reopened.getByRole('button', { name: 'Sign in again' }).click();
    await reopened.getByLabel('Username').waitFor();
    expect(await reopened.getByRole('status').textContent()).toBe('Your session has expired. Please sign in again.');
  });
});
