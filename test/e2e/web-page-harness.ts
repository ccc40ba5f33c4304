/**
 * The web page in real browsers, no extension: Debian's Chromium through Playwright and Debian's Firefox ESR
 * through puppeteer-core over WebDriver BiDi (firefox-harness.ts), each adapted to `WebPageBrowser`, which
 * web-page-scenarios.ts drives. Both record, for every page they load, the Content-Security-Policy
 * violations the page reports (a `securitypolicyviolation` listener installed before the page's own script,
 * which says so on the console) and the requests the page sends to the API.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';
import type { Page as PlaywrightPage } from 'playwright';
import type { HTTPRequest, Page as PuppeteerPage } from 'puppeteer-core';
import type { ScenarioPage } from './core-scenarios.ts';
import { launchFirefox } from './firefox-harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebPageTab extends ScenarioPage {
  /** Navigates and waits for the page to have loaded. */
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  back(): Promise<void>;
  close(): Promise<void>;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface WebPageBrowser {
  /** A new tab in a browsing context of its own: no session, no preferences, no cookies from another tab. */
  newTab(): Promise<WebPageTab>;
  /** What the pages reported as Content-Security-Policy violations, in the order they came. */
  readonly violations: string[];
  /** Every request the pages sent, in order. */
  readonly requests: SentRequest[];
  close(): Promise<void>;
}

const VIOLATION_MARK = 'switchyard-csp-violation:';
/** Runs before each page's own script. An init script is the browser's, not the page's: the policy does not apply to it. */
const WATCH_VIOLATIONS = `addEventListener('securitypolicyviolation', (event) => console.error('${VIOLATION_MARK} ' + event.violatedDirective + ' ' + (event.blockedURI || '') + ' ' + (event.sample || '')), true);`;

export async function chromiumWebPageBrowser(): Promise<WebPageBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  const violations: string[] = [];
  const requests: SentRequest[] = [];
  const watch = (page: PlaywrightPage) => {
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith(VIOLATION_MARK) || /Content.Security.Policy|Trusted Type/i.test(text)) violations.push(text);
    });
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), headers: request.headers() }));
  };
  return {
    violations,
    requests,
    async newTab() {
      const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      await context.addInitScript(WATCH_VIOLATIONS);
      context.on('page', watch);
      const page = await context.newPage();
      return {
        async goto(url) {
          await page.goto(url);
        },
        url: async () => page.url(),
        async back() {
          await page.goBack();
        },
        close: () => context.close(),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        async type(selector, text) {
          await page.click(selector);
          await page.keyboard.type(text);
        },
        async press(key) {
          await page.keyboard.press(key);
        },
      };
    },
    close: () => browser.close(),
  };
}

export async function firefoxWebPageBrowser(): Promise<WebPageBrowser> {
  const firefox = await launchFirefox({});
  const violations: string[] = [];
  const requests: SentRequest[] = [];
  return {
    violations,
    requests,
    async newTab() {
      const context = await firefox.browser.createBrowserContext();
      const page: PuppeteerPage = await context.newPage();
      await page.setViewport({ width: 1000, height: 800 });
      await page.evaluateOnNewDocument(WATCH_VIOLATIONS);
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith(VIOLATION_MARK) || /Content.Security.Policy|Trusted Type/i.test(text)) violations.push(text);
      });
      page.on('request', (request: HTTPRequest) => requests.push({ method: request.method(), url: request.url(), headers: request.headers() }));
      return {
        async goto(url) {
          await page.goto(url, { waitUntil: 'load' });
        },
        url: async () => page.url(),
        async back() {
          // BiDi does not report every navigation back (one the page itself started): go back from the page, and let the scenario poll.
          await page.evaluate(() => void setTimeout(() => history.back(), 0));
        },
        close: () => context.close(),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        async type(selector, text) {
          await page.click(selector);
          await page.keyboard.type(text);
        },
        async press(key) {
          await page.keyboard.press(key as never);
        },
      };
    },
    close: () => firefox.close(),
  };
}
