/**
 * The web page's scenarios, written once for every browser (web-page-harness.ts adapts Chromium and Firefox
 * ESR), against the whole local stack with both ways in: the demo directory and a Cognito user pool in moto
 * behind the hosted UI stand-in. Sign-in (both ways), the list, opening a console in place of the page, the
 * credentials panel (the credentials are tried against STS), deep links (followed, refused, hostile), the
 * CLI's sign-in (handed to a loopback listener, or refused), where the tokens are kept, and no
 * Content-Security-Policy violation anywhere along the way.
 *
 * One account's name is changed by policy to hold HTML: it must show as written, as text.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/api/session.ts';
import { createStsClient } from '../../backend/aws/clients.ts';
import { pushAndReconcile } from '../../backend/local/push-and-reconcile.ts';
import { DEMO_POLICY_DIR, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { buildWebPage } from '../../scripts/build/web-page.ts';
import { createDemoUserPool, type DemoUserPool } from '../helpers/cognito-pool.ts';
import { startHostedUiStandIn, type HostedUiStandIn } from '../helpers/hosted-ui-stand-in.ts';
import { clickButton, EXPECTED, listedRows, SELECTORS, waitUntil } from './core-scenarios.ts';
import { badgeText, clickRow } from './elevation-scenarios.ts';
import type { WebPageBrowser, WebPageTab } from './web-page-harness.ts';

/** What the sandbox account is called by policy in these scenarios. */
export const HOSTILE_NAME = 'sandbox <img src=x onerror="document.title=1">';

interface World {
  stack: LocalStack;
  pool: DemoUserPool;
  hostedUi: HostedUiStandIn;
  browser: WebPageBrowser;
}

/** Registers the scenarios as tests of the calling file, in a browser `launch` starts. */
export function webPageScenarios(launch: () => Promise<WebPageBrowser>): void {
  let world: World;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'switchyard-web-e2e-'));
    await buildWebPage(join(work, 'web'));
    let pool: DemoUserPool | undefined;
    let hostedUi: HostedUiStandIn | undefined;
    const stack = await startLocalStack({
      apiPort: 0,
      webPageDir: join(work, 'web'),
      signIn: async (moto) => {
        pool = await createDemoUserPool(moto.settings);
        hostedUi = await startHostedUiStandIn(moto.settings, pool.userPoolId);
        return pool.env(hostedUi.url);
      },
    });
    if (!pool || !hostedUi) throw new Error('the user pool was not made');
    // The admin registers the page's address with the app client (the template does it for a deployment).
    await pool.setCallbackUrls([`${stack.apiUrl}/`]);
    await renameByPolicy(stack, work, 'sandbox', HOSTILE_NAME);
    world = { stack, pool, hostedUi, browser: await launch() };
  });

  afterAll(async () => {
    await world?.browser.close();
    await world?.stack.stop();
    await world?.hostedUi.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const page = () => `${world.stack.apiUrl}/`;
  const accountId = (name: string) => {
    const id = world.stack.accountIds.get(name);
    if (!id) throw new Error(`the local stack has no account named ${name}`);
    return id;
  };
  const password = (username: string) => world.stack.demoUsers.find((user) => user.username === username)?.password ?? '';
  const row = (name: string, permissionSet: string) => `${name === 'sandbox' ? HOSTILE_NAME : name} ${accountId(name)} ${permissionSet}`;

  async function openPage(url = page()): Promise<WebPageTab> {
    const tab = await world.browser.newTab();
    await tab.goto(url);
    return tab;
  }

  async function signIn(tab: WebPageTab, username: string): Promise<void> {
    await waitUntil(tab, (selector) => document.querySelector(selector) !== null, SELECTORS.username, 'the sign-in form');
    await tab.type(SELECTORS.username, username);
    await tab.type(SELECTORS.password, password(username));
    await clickButton(tab, 'Sign in');
  }

  async function landedAt(tab: WebPageTab, prefix: string): Promise<URL> {
    const href = await waitUntil(
      tab,
      (wanted) => (location.href.startsWith(wanted) && document.readyState === 'complete' ? location.href : undefined),
      prefix,
      prefix,
    );
    return new URL(href);
  }

  const field = (tab: WebPageTab, name: string) =>
    waitUntil(tab, (wanted) => document.querySelector(`[data-field="${wanted}"]`)?.textContent, name, `the console's ${name}`);

  const alert = (tab: WebPageTab) => waitUntil(tab, () => document.querySelector('[role="alert"]')?.textContent, null, 'a message');

  const sentTo = (path: string) => world.browser.requests.filter((request) => new URL(request.url).pathname === path);

  it('offers both ways this deployment has: single sign-on and the directory form', async () => {
    const tab = await openPage();
    await waitUntil(
      tab,
      () =>
        document.querySelector('#username') && [...document.querySelectorAll('button')].some((b) => b.textContent === 'Sign in with single sign-on'),
      null,
      'both ways in',
    );
    await tab.close();
  });

  it("signs alice in with the directory, lists exactly her pairs, and keeps the token in this tab's sessionStorage only", async () => {
    const tab = await openPage();
    await signIn(tab, 'alice');
    expect(await listedRows(tab, 6)).toEqual(
      [
        row('payments-prod', 'AdministratorAccess'),
        row('payments-dev', 'AdministratorAccess'),
        row('data-prod', 'AdministratorAccess'),
        row('sandbox', 'AdministratorAccess'),
        row('payments-dev', 'Developer'),
        row('sandbox', 'Developer'),
      ].sort(),
    );
    const kept = await tab.evaluate(
      () => ({
        session: sessionStorage.getItem('switchyard:session'),
        local: JSON.stringify({ ...localStorage }),
        cookies: document.cookie,
      }),
      null,
    );
    const { token, refreshToken } = JSON.parse(kept.session ?? '{}') as { token?: string; refreshToken?: string };
    expect(token).toMatch(/^ey/);
    expect(kept.local).not.toContain(token);
    expect(kept.local).not.toContain(refreshToken);
    expect(kept.cookies).toBe('');
    await tab.close();
  });

  it('shows a name from the policy as written: text, never markup', async () => {
    const tab = await openPage();
    await signIn(tab, 'alice');
    await listedRows(tab, 6);
    const drawn = await tab.evaluate(
      (name) => ({
        shown: [...document.querySelectorAll('.account-name')].some((element) => element.textContent === name),
        images: document.querySelectorAll('#app img').length,
        title: document.title,
      }),
      HOSTILE_NAME,
    );
    expect(drawn).toEqual({ shown: true, images: 0, title: 'Switchyard' });
    await tab.close();
  });

  it('opens the console in place of the page for the row picked; Back comes to the list, still signed in', async () => {
    const tab = await openPage();
    await signIn(tab, 'alice');
    await listedRows(tab, 6);
    await tab.type(SELECTORS.search, 'payments-dev Developer');
    await listedRows(tab, 1);
    await tab.press('Enter');
    const console = await landedAt(tab, world.stack.federationUrl);
    expect(console.searchParams.get('Action')).toBe('login');
    expect(await field(tab, 'account')).toBe(accountId('payments-dev'));
    expect(await field(tab, 'role')).toBe('Switchyard-Developer');
    expect(await field(tab, 'person')).toContain('alice');
    const federated = sentTo('/federate').at(-1);
    expect(federated?.headers['x-switchyard-channel']).toBe('web');
    await tab.back();
    await landedAt(tab, page());
    // The list again, without signing in (as it was left, or drawn afresh with the pair under "Recently used").
    expect(await listedRows(tab)).toContain(row('payments-dev', 'Developer'));
    await tab.close();
  });

  it('offers access on request: bob asks in one tab, alice approves in her To approve view in another, his tab opens the console, and he extends and gives it back', async () => {
    const bobs = await openPage();
    await signIn(bobs, 'bob');
    await listedRows(bobs, EXPECTED.bob.length);
    expect(await badgeText(bobs)).toBe(', on request');
    await clickRow(bobs);
    await waitUntil(
      bobs,
      () => document.querySelector('[role="dialog"][aria-label="Request payments-prod as Developer"]') !== null,
      null,
      'the form',
    );
    await bobs.type('#request-justification', 'OPS-5 from the web page');
    await clickButton(bobs, 'Request');
    await waitUntil(bobs, () => document.querySelector('.badge.pending') !== null, null, 'the pending badge');

    // Each tab keeps its own sign-in (sessionStorage): alice in another.
    const alices = await openPage();
    await signIn(alices, 'alice');
    await listedRows(alices, 6);
    await clickButton(alices, 'To approve (1)');
    await waitUntil(alices, () => document.querySelector('.approval')?.textContent?.includes('OPS-5 from the web page'), null, 'the request');
    await alices.type('.approval input', 'fine');
    await clickButton(alices, 'Approve');
    const said = await waitUntil(
      alices,
      () => document.querySelector('.status')?.textContent?.startsWith('Approved') && document.querySelector('.status')?.textContent,
      null,
      'the approval said',
    );
    expect(said).toMatch(/^Approved and granted: Bob .*'s request for payments-prod as Developer\.$/);
    await alices.close();

    await waitUntil(bobs, () => document.querySelector('.badge.granted') !== null, null, 'the granted badge', 10_000);
    await clickRow(bobs);
    await landedAt(bobs, world.stack.federationUrl);
    expect(await field(bobs, 'account')).toBe(accountId('payments-prod'));
    expect(await field(bobs, 'person')).toContain('bob');
    await bobs.close();

    // In a new tab (a new sign-in), bob's list shows his grant at once; its badge opens it: extend, then give it back.
    const again = await openPage();
    await signIn(again, 'bob');
    await listedRows(again, EXPECTED.bob.length);
    await waitUntil(again, () => document.querySelector('.badge.granted') !== null, null, 'the granted badge after sign-in');
    const openGrant = async () => {
      await again.evaluate(() => (document.querySelector('.badge.granted') as HTMLElement).click(), null);
      await waitUntil(
        again,
        () => document.querySelector('[role="dialog"][aria-label="Your grant of payments-prod as Developer"]') !== null,
        null,
        'the grant',
      );
    };
    await openGrant();
    await clickButton(again, 'Extend');
    const extended = await waitUntil(
      again,
      () => document.querySelector('.status')?.textContent?.startsWith('Extended') && document.querySelector('.status')?.textContent,
      null,
      'the extension said',
    );
    expect(extended).toMatch(/^Extended payments-prod as Developer until /);
    await openGrant();
    await again.type('#manage-reason', 'done');
    await clickButton(again, 'Give back now');
    await waitUntil(again, () => document.querySelector('.badge.on-request') !== null, null, 'on request again');
    await again.close();

    const bob = world.stack.demoUsers.find((user) => user.username === 'bob');
    const session = (await (
      await fetch(`${world.stack.apiUrl}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bob', password: bob?.password }),
      })
    ).json()) as SessionResponse;
    const mine = (await (await fetch(`${world.stack.apiUrl}/requests`, { headers: { authorization: `Bearer ${session.token}` } })).json()) as {
      requests: { id: string; state: string; extensions: unknown[]; closed?: { reason?: string } }[];
    };
    expect(mine.requests[0]).toMatchObject({ state: 'revoked', extensions: [{}], closed: { reason: 'done' } });
  });

  it("shows a pair's credentials for the terminal: shell, PowerShell and file snippets and the expiry, the role's own, kept nowhere", async () => {
    const tab = await openPage();
    await signIn(tab, 'alice');
    await listedRows(tab, 6);
    await tab.type(SELECTORS.search, 'payments-dev Developer');
    await listedRows(tab, 1);
    await tab.press('ArrowRight');
    await clickButton(tab, 'Credentials for the terminal');
    const shown = await waitUntil(
      tab,
      () => {
        const snippet = (name: string) => document.querySelector(`[data-snippet="${name}"]`)?.textContent ?? '';
        const bash = snippet('bash');
        return bash
          ? {
              bash,
              powershell: snippet('powershell'),
              file: snippet('credentialsFile'),
              config: snippet('configProfile'),
              expiry: document.querySelector('.credentials-expiry time')?.getAttribute('datetime'),
            }
          : undefined;
      },
      null,
      'the credentials',
    );
    const value = (name: string) => new RegExp(`^export ${name}='([^']+)'$`, 'm').exec(shown.bash)?.[1] ?? '';
    const credentials = {
      accessKeyId: value('AWS_ACCESS_KEY_ID'),
      secretAccessKey: value('AWS_SECRET_ACCESS_KEY'),
      sessionToken: value('AWS_SESSION_TOKEN'),
    };
    expect(value('AWS_REGION')).toBe('eu-west-1');
    expect(shown.powershell).toContain(`$Env:AWS_SECRET_ACCESS_KEY = '${credentials.secretAccessKey}'`);
    expect(shown.file).toContain(`[payments-dev/Developer]\naws_access_key_id = ${credentials.accessKeyId}`);
    expect(shown.config).toBe(
      `[profile payments-dev/Developer]\ncredential_process = switchyard credentials --account ${accountId('payments-dev')} --permission-set Developer\nregion = eu-west-1`,
    );
    expect(Date.parse(shown.expiry ?? '') - Date.now()).toBeGreaterThan(30 * 60_000);
    // They are the role's: STS (moto) says whose they are.
    const sts = createStsClient(world.stack.moto.settings, credentials);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${accountId('payments-dev')}:assumed-role/Switchyard-Developer/`));
    expect(sentTo('/credentials').at(-1)?.headers['x-switchyard-channel']).toBe('web');
    const stored = await tab.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }) + document.cookie, null);
    expect(stored).not.toContain(credentials.secretAccessKey);
    expect(stored).not.toContain(credentials.sessionToken);
    await tab.close();
  });

  it("refuses credentials for a console-only permission set, in the backend's words", async () => {
    const tab = await openPage();
    await signIn(tab, 'alice');
    await listedRows(tab, 6);
    await tab.type(SELECTORS.search, 'payments-prod');
    await listedRows(tab, 1);
    await tab.press('ArrowRight');
    await clickButton(tab, 'Credentials for the terminal');
    expect(await alert(tab)).toMatch(/^Not allowed: AdministratorAccess is console-only/);
    expect(await tab.evaluate(() => document.querySelectorAll('[data-snippet]').length, null)).toBe(0);
    await tab.close();
  });

  it('follows a deep link after sign-in: the pair it names, in its region, at its destination; Back lands on the list', async () => {
    const link = `${page()}#/open?account=${accountId('payments-dev')}&permissionSet=Developer&region=eu-west-1&destination=${encodeURIComponent('/ec2/home#Instances:')}`;
    const tab = await openPage(link);
    await waitUntil(tab, () => document.body.textContent?.includes('Sign in to open the link.'), null, 'why to sign in');
    await signIn(tab, 'alice');
    await landedAt(tab, world.stack.federationUrl);
    expect(await field(tab, 'account')).toBe(accountId('payments-dev'));
    expect(await field(tab, 'role')).toBe('Switchyard-Developer');
    const destination = new URL(await field(tab, 'destination'));
    expect(destination.hostname).toMatch(/(^|\.)console\.aws\.amazon\.com$/);
    expect(destination.searchParams.get('region') ?? destination.hostname.split('.')[0]).toBe('eu-west-1');
    expect(`${destination.pathname}${destination.hash}`).toBe('/ec2/home#Instances:');
    await tab.back();
    expect((await landedAt(tab, page())).hash).toBe('#/');
    expect(await listedRows(tab)).toContain(row('payments-dev', 'Developer'));
    await tab.close();
  });

  it('refuses a deep link to a pair the person lacks, without asking for a console', async () => {
    const before = sentTo('/federate').length;
    const tab = await openPage(`${page()}#/open?account=payments-dev&permissionSet=AdministratorAccess`);
    await signIn(tab, 'bob');
    expect(await alert(tab)).toBe(
      'This link cannot be opened: you have no access to payments-dev as AdministratorAccess, or no such account and permission set exist.',
    );
    expect(sentTo('/federate')).toHaveLength(before);
    await clickButton(tab, 'Show my accounts');
    expect(await listedRows(tab, EXPECTED.bob.length)).toHaveLength(EXPECTED.bob.length);
    await tab.close();
  });

  it.each([
    [
      'a script destination',
      'account=111122223333&permissionSet=ReadOnly&destination=javascript:alert(1)',
      'destination must be a console path such as /ec2/home or an https:// console URL',
    ],
    [
      'markup for a permission set',
      'account=111122223333&permissionSet=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
      'permissionSet is not a permission set name',
    ],
    [
      'control characters in an account',
      'account=%1B%5B31mpayments&permissionSet=ReadOnly',
      'account must be a 12-digit account ID or an account name',
    ],
    [
      'a parameter of its own',
      'account=111122223333&permissionSet=ReadOnly&redirect=https://evil.example/',
      'the link has a parameter "redirect" the page does not know',
    ],
    ['a name twice', 'account=111122223333&account=444455556666&permissionSet=ReadOnly', 'the link names account more than once'],
  ])('refuses a hostile deep link (%s) before anything else, saying which parameter', async (_what, query, problem) => {
    const tab = await openPage(`${page()}#/open?${query}`);
    expect(await alert(tab)).toBe(`This link cannot be opened: ${problem}.`);
    expect(await tab.evaluate(() => document.querySelectorAll('#app img').length, null)).toBe(0);
    await signIn(tab, 'bob');
    expect(await listedRows(tab, EXPECTED.bob.length)).toHaveLength(EXPECTED.bob.length);
    expect(new URL(await tab.url()).origin).toBe(new URL(page()).origin);
    await tab.close();
  });

  it('names an account the link names with markup as text, when it refuses the link after sign-in', async () => {
    const markup = '<img src=x onerror=alert(1)>';
    const tab = await openPage(`${page()}#/open?account=${encodeURIComponent(markup)}&permissionSet=ReadOnly`);
    await signIn(tab, 'bob');
    expect(await alert(tab)).toBe(
      `This link cannot be opened: you have no access to ${markup} as ReadOnly, or no such account and permission set exist.`,
    );
    expect(await tab.evaluate(() => document.querySelectorAll('#app img').length, null)).toBe(0);
    await tab.close();
  });

  it("refuses a deep link whose destination is off the console, with the destination check's own words", async () => {
    const tab = await openPage(
      `${page()}#/open?account=${accountId('payments-prod')}&permissionSet=ReadOnly&destination=${encodeURIComponent('https://evil.example/ec2/home')}`,
    );
    await signIn(tab, 'bob');
    expect(await alert(tab)).toMatch(/^This link cannot be opened: destination: /);
    expect(new URL(await tab.url()).origin).toBe(new URL(page()).origin);
    await tab.close();
  });

  it("signs the CLI in: after sign-in and the person's yes, its loopback listener gets a code its verifier redeems", async () => {
    const cli = await loopbackListener();
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const query = new URLSearchParams({
      redirect_uri: cli.redirectUri,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const tab = await openPage(`${page()}#/cli-login?${query.toString()}`);
    await signIn(tab, 'alice');
    await waitUntil(tab, () => document.body.textContent?.includes('Sign in the Switchyard CLI on this computer?'), null, 'the question');
    expect(cli.received).toEqual([]);
    await clickButton(tab, 'Sign in the CLI');
    const callback = await cli.next();
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code') ?? '';
    const redeemed = await fetch(`${world.stack.apiUrl}/session/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, codeVerifier: verifier, redirectUri: cli.redirectUri }),
    });
    expect(redeemed.status).toBe(200);
    expect(((await redeemed.json()) as SessionResponse).user.displayName).toMatch(/alice/i);
    await cli.close();
    await tab.close();
  });

  it.each([
    ['another host', 'https://evil.example/callback'],
    ['localhost, which a hosts file can point anywhere', 'http://localhost:43123/callback'],
    ['no port', 'http://127.0.0.1/callback'],
  ])('refuses a CLI sign-in whose redirect_uri is %s: a clear page, no sign-in, nothing sent', async (_what, redirectUri) => {
    const before = world.browser.requests.length;
    const query = new URLSearchParams({
      redirect_uri: redirectUri,
      state: 'a'.repeat(22),
      code_challenge: 'b'.repeat(43),
      code_challenge_method: 'S256',
    });
    const tab = await openPage(`${page()}#/cli-login?${query.toString()}`);
    await waitUntil(tab, () => document.querySelector('h2')?.textContent === 'This CLI sign-in was refused', null, 'the refusal');
    expect(await alert(tab)).toMatch(/^This address cannot sign in the Switchyard CLI: redirect_uri is not http:\/\/127\.0\.0\.1:<port>/);
    expect(await tab.evaluate((selector) => document.querySelector(selector), SELECTORS.username)).toBeNull();
    const asked = world.browser.requests
      .map((request) => new URL(request.url).pathname)
      .slice(before)
      .filter((path) => path !== '/' && path !== '/favicon.ico' && !path.startsWith('/assets/'));
    expect(asked).toEqual([]);
    await tab.close();
  });

  it('signs in with single sign-on by going to the hosted UI and back, and a deep link waits through it', async () => {
    const tab = await openPage(`${page()}#/open?account=${accountId('payments-prod')}&permissionSet=AdministratorAccess`);
    await clickButton(tab, 'Sign in with single sign-on');
    const hosted = await landedAt(tab, `${world.hostedUi.url}/oauth2/authorize`);
    expect(hosted.searchParams.get('redirect_uri')).toBe(page());
    expect(hosted.searchParams.get('code_challenge_method')).toBe('S256');
    await tab.type('input[name="username"]', 'alice');
    await tab.type('input[name="password"]', password('alice'));
    await tab.press('Enter');
    await landedAt(tab, world.stack.federationUrl);
    expect(await field(tab, 'account')).toBe(accountId('payments-prod'));
    expect(await field(tab, 'role')).toBe('Switchyard-AdministratorAccess');
    // The code came back in the address; it is gone from it, and from the history.
    await tab.back();
    const back = await landedAt(tab, page());
    expect(back.search).toBe('');
    expect(back.hash).toBe('#/');
    await tab.close();
  });

  it('signs out: the session ends on the server and leaves this tab', async () => {
    const tab = await openPage();
    await signIn(tab, 'bob');
    await listedRows(tab, EXPECTED.bob.length);
    const token = await tab.evaluate(() => (JSON.parse(sessionStorage.getItem('switchyard:session') ?? '{}') as { token?: string }).token, null);
    await clickButton(tab, 'Sign out');
    await waitUntil(tab, (selector) => document.querySelector(selector) !== null, SELECTORS.username, 'the sign-in form');
    expect(await tab.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('switchyard:')), null)).toEqual([]);
    // Signing out waits at most 3 s for the backend's answer (a busy machine can take longer): the session ends when it comes.
    await expect
      .poll(async () => (await fetch(`${world.stack.apiUrl}/entitlements`, { headers: { authorization: `Bearer ${token}` } })).status, {
        timeout: 15_000,
      })
      .toBe(401);
    await tab.close();
  });

  it('reported no Content-Security-Policy violation on any page, and would have: a style attribute set by script is one', async () => {
    expect(world.browser.violations).toEqual([]);
    const tab = await openPage();
    await waitUntil(tab, (selector) => document.querySelector(selector) !== null, SELECTORS.username, 'the sign-in form');
    await tab.evaluate(() => document.body.setAttribute('style', 'color: red'), null);
    await waitUntil(tab, () => true, null, 'a moment');
    const deadline = Date.now() + 10_000;
    while (world.browser.violations.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.browser.violations.join('\n')).toMatch(/style-src/);
    await tab.close();
  });
}

/** Changes what the policy calls an account (accounts.yaml, by its ID), pushed and reconciled as an admin would. */
async function renameByPolicy(stack: LocalStack, work: string, account: string, name: string): Promise<void> {
  const policy = join(work, 'policy');
  await cp(DEMO_POLICY_DIR, policy, { recursive: true });
  const accounts = await readFile(join(policy, 'accounts.yaml'), 'utf8');
  const renamed = accounts.replace(`  - name: ${account}\n`, `  - id: "${stack.accountIds.get(account)}"\n    name: ${JSON.stringify(name)}\n`);
  if (renamed === accounts) throw new Error(`accounts.yaml has no entry named ${account}`);
  await writeFile(join(policy, 'accounts.yaml'), renamed);
  await pushAndReconcile(stack.reconciler, policy);
  // The API reads the published policy again once its copy is older than SWITCHYARD_POLICY_CACHE_SECONDS (2 s locally).
  await new Promise((resolve) => setTimeout(resolve, 2500));
}

/** The CLI's side of its sign-in: a loopback listener that records each callback and answers it. */
async function loopbackListener(): Promise<{ redirectUri: string; received: URL[]; next(): Promise<URL>; close(): Promise<void> }> {
  const received: URL[] = [];
  const waiting: ((url: URL) => void)[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    received.push(url);
    waiting.shift()?.(url);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('Switchyard CLI: signed in. You can close this tab.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    received,
    next: () => (received.length > 0 ? Promise.resolve(received[received.length - 1] as URL) : new Promise((resolve) => waiting.push(resolve))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
