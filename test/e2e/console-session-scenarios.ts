/**
 * The console's two session modes end to end, written once for every browser (like core-scenarios.ts):
 * the federation stand-in plays single-session or multi-session mode (backend/local/federation-stand-in.ts)
 * and the extension is set to the same mode. In single-session mode every console goes through the
 * sign-in host's logout, or the stand-in would show "sign out first" to the second account; in
 * multi-session mode nothing goes through the logout (the stand-in answers it with 400), each console
 * lands on its own session host, a click on a pair already open brings its tab to the front instead of
 * signing in again, and with five sessions open the popup says so before the next click.
 */
import { expect, it } from 'vitest';
import { listedRows, signIn, waitUntil } from './core-scenarios.ts';
import type { ScenarioContext, ScenarioPage } from './core-scenarios.ts';

type ConsoleMode = 'single-session' | 'multi-session';

interface ExtensionApi {
  storage: {
    sync: { set(items: object): Promise<void>; remove(keys: string[]): Promise<void> };
    session: { get(key: string): Promise<Record<string, unknown>> };
  };
  tabs: { get(id: number): Promise<{ active: boolean }>; query(query: object): Promise<unknown[]> };
}

export function consoleSessionScenarios(context: ScenarioContext): void {
  const accountId = (name: string) => {
    const id = context.stack().accountIds.get(name);
    if (!id) throw new Error(`the local stack has no account named ${name}`);
    return id;
  };
  const alicePassword = () => context.stack().demoUsers.find((user) => user.username === 'alice')?.password ?? '';

  /** The stand-in and the extension in the same console mode, alice signed in; resolves with her popup. */
  async function start(mode: ConsoleMode): Promise<ScenarioPage> {
    context.stack().setConsoleMode(mode);
    const popup = await signIn(context.browser(), 'alice', alicePassword());
    await listedRows(popup);
    await popup.evaluate((consoleSessionMode) => {
      const ext = (globalThis as unknown as { browser?: ExtensionApi }).browser ?? (globalThis as unknown as { chrome: ExtensionApi }).chrome;
      return ext.storage.sync.set({ consoleSessionMode });
    }, mode);
    return popup;
  }

  async function cleanUp(): Promise<void> {
    const popup = await context.browser().openPopup();
    await popup.evaluate(() => {
      const ext = (globalThis as unknown as { browser?: ExtensionApi }).browser ?? (globalThis as unknown as { chrome: ExtensionApi }).chrome;
      return ext.storage.sync.remove(['consoleSessionMode']);
    }, null);
    context.stack().setConsoleMode('single-session');
  }

  /** A fresh popup (as each toolbar click gives), searched down to one pair. */
  async function popupOn(account: string, permissionSet: string): Promise<ScenarioPage> {
    const popup = await context.browser().openPopup();
    await listedRows(popup);
    await popup.type('#search', `${account} ${permissionSet}`);
    await listedRows(popup, 1);
    return popup;
  }

  /** Opens the pair's console and resolves with its tab, once the popup says it opened (the background has noted it by then). */
  async function openedTab(account: string, permissionSet: string, urlPrefix: string) {
    const popup = await popupOn(account, permissionSet);
    const tab = await context.browser().tabOpenedBy(() => popup.press('Enter'), urlPrefix);
    await waitUntil(popup, () => document.querySelector('footer')?.textContent?.startsWith('Opened'), null, 'the popup to say the console opened');
    return tab;
  }

  it('single-session mode: each console goes through the logout first, so a second account opens instead of "sign out first"', async () => {
    await start('single-session');
    try {
      const federation = context.stack().federationUrl;
      const first = await openedTab('payments-dev', 'Developer', federation);
      expect(await first.field('account')).toBe(accountId('payments-dev'));
      // Its tab closes; its console session lives on in the browser's cookies.
      await context.browser().closeTabs();
      // Without the logout, the stand-in would show "sign out first" here, a page without these fields.
      const second = await openedTab('sandbox', 'AdministratorAccess', federation);
      expect(await second.field('account')).toBe(accountId('sandbox'));
      expect(await second.field('role')).toBe('Switchyard-AdministratorAccess');
    } finally {
      await cleanUp();
    }
  });

  it('multi-session mode: no logout, a session host per console, and a click on an open pair brings its tab to the front', async () => {
    await start('multi-session');
    try {
      const sessionHost = /^\d{12}-[a-z0-9]{8}\.[a-z]{2}-[a-z]+-\d\.console\.localhost:\d+$/;
      const dev = await openedTab('payments-dev', 'Developer', `http://${accountId('payments-dev')}-`);
      expect(new URL(dev.url).host).toMatch(sessionHost);
      expect(await dev.field('role')).toBe('Switchyard-Developer');
      const sandbox = await openedTab('sandbox', 'Developer', `http://${accountId('sandbox')}-`);
      expect(new URL(sandbox.url).host).toMatch(sessionHost);
      expect(new URL(sandbox.url).host).not.toBe(new URL(dev.url).host);

      const again = await popupOn('payments-dev', 'Developer');
      const tabsBefore = await again.evaluate(() => {
        const ext = (globalThis as unknown as { browser?: ExtensionApi }).browser ?? (globalThis as unknown as { chrome: ExtensionApi }).chrome;
        return ext.tabs.query({}).then((tabs) => tabs.length);
      }, null);
      // Marked as open before the click.
      await waitUntil(again, () => document.querySelector('[role="option"] .session-open') !== null, null, 'the row marked as open');
      await again.press('Enter');
      const footer = await waitUntil(
        again,
        () => (document.querySelector('footer')?.textContent?.startsWith('Switched to') ? document.querySelector('footer')?.textContent : undefined),
        null,
        'the popup to say it switched to the open console',
      );
      expect(footer).toBe('Switched to payments-dev as Developer: its console is already open.');
      const after = await again.evaluate(
        async (pair) => {
          const ext = (globalThis as unknown as { browser?: ExtensionApi }).browser ?? (globalThis as unknown as { chrome: ExtensionApi }).chrome;
          const sessions = (await ext.storage.session.get('console-sessions'))['console-sessions'] as { pair: string; tabId?: number }[];
          const tabId = sessions.find((session) => session.pair === pair)?.tabId;
          return { tabs: (await ext.tabs.query({})).length, active: tabId === undefined ? false : (await ext.tabs.get(tabId)).active };
        },
        `${accountId('payments-dev')}:Developer`,
      );
      expect(after).toEqual({ tabs: tabsBefore, active: true });
    } finally {
      await cleanUp();
    }
  });

  it('multi-session mode: with five console sessions open, the popup says so before the next click', async () => {
    await start('multi-session');
    try {
      const pairs: [string, string][] = [
        ['payments-prod', 'AdministratorAccess'],
        ['payments-dev', 'AdministratorAccess'],
        ['data-prod', 'AdministratorAccess'],
        ['sandbox', 'AdministratorAccess'],
      ];
      for (const [account, permissionSet] of pairs) await openedTab(account, permissionSet, `http://${accountId(account)}-`);
      const four = await popupOn('sandbox', 'Developer');
      await waitUntil(four, () => document.querySelectorAll('.session-open').length === 0, null, 'no mark on the unopened pair');
      expect(await four.evaluate(() => document.querySelector('.sessions-full') === null, null)).toBe(true);
      await context.browser().tabOpenedBy(() => four.press('Enter'), `http://${accountId('sandbox')}-`);
      await waitUntil(four, () => document.querySelector('footer')?.textContent?.startsWith('Opened'), null, 'the fifth console to open');

      const full = await context.browser().openPopup();
      await listedRows(full);
      const notice = await waitUntil(full, () => document.querySelector('.sessions-full')?.textContent, null, 'the five-sessions notice');
      expect(notice).toBe(
        'Five console sessions are open, as many as the AWS console allows. Sign out of one in the console before opening another account.',
      );
      // Each open pair is marked wherever it shows (under "Recently used" and under its account).
      const marked = await waitUntil(
        full,
        () => {
          const rows = [...document.querySelectorAll('[role="option"]')].filter((row) => row.querySelector('.session-open'));
          const pairs = new Set(
            rows.map((row) => `${row.querySelector('.account-name')?.textContent} ${row.querySelector('.permission-set')?.textContent}`),
          );
          return pairs.size > 0 ? [...pairs].sort() : undefined;
        },
        null,
        'the open rows marked',
      );
      expect(marked).toEqual([...pairs, ['sandbox', 'Developer']].map(([account, permissionSet]) => `${account} ${permissionSet}`).sort());
    } finally {
      await cleanUp();
    }
  });
}
