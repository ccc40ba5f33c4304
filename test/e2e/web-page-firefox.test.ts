/** The web page in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi), no extension: every scenario of web-page-scenarios.ts. */
import { describe } from 'vitest';
import { firefoxWebPageBrowser } from './web-page-harness.ts';
import { webPageScenarios } from './web-page-scenarios.ts';

describe('the web page in Firefox ESR', () => {
  webPageScenarios(firefoxWebPageBrowser);
});
