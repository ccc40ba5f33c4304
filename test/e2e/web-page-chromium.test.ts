/** The web page in Debian's Chromium (Playwright), no extension: every scenario of web-page-scenarios.ts. */
import { describe } from 'vitest';
import { chromiumWebPageBrowser } from './web-page-harness.ts';
import { webPageScenarios } from './web-page-scenarios.ts';

describe('the web page in Chromium', () => {
  webPageScenarios(chromiumWebPageBrowser);
});
