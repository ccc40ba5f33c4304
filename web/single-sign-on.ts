/**
 * Single sign-on on the web page: the user pool's hosted UI by a full-page redirect (the page's own URL as
 * the redirect URI), OAuth 2.0 code flow with PKCE, with the extension's two halves (startCognitoFlow,
 * finishCognitoFlow). What the way back needs (state, verifier, the route to return to) waits in this
 * tab's sessionStorage; the backend redeems the code at POST /session/cognito.
 */
import type { CognitoPublicSettings } from '../shared/api/auth-config.ts';
import type { CognitoSessionRequest } from '../shared/api/session.ts';
import { ApiFailure } from '../extension/background/api-failure.ts';
import { finishCognitoFlow, startCognitoFlow, type PendingCognitoSignIn } from '../extension/background/cognito-flow.ts';
import type { KeyValueArea } from '../extension/background/storage-area.ts';

const PENDING_KEY = 'single-sign-on';

interface Pending extends PendingCognitoSignIn {
  /** The route (the URL's fragment) the person was on: a deep link or the CLI's sign-in waits there. */
  returnTo: string;
}

/** The page's own address without query or fragment: the redirect URI the app client lists. */
export function pageAddress(location: Pick<Location, 'origin' | 'pathname'>): string {
  return `${location.origin}${location.pathname}`;
}

export interface SingleSignOn {
  /** Keeps what the way back needs, and sends the browser to the hosted UI. */
  start(settings: CognitoPublicSettings): Promise<void>;
  /**
   * When the page is the hosted UI's way back (?code= or ?error=): the grant to redeem, and the route to
   * go back to; the address is cleaned of the code at once. Undefined on an ordinary load.
   */
  finish(): Promise<{ grant: CognitoSessionRequest; returnTo: string } | { failure: ApiFailure; returnTo: string } | undefined>;
}

export interface SingleSignOnDeps {
  area: KeyValueArea;
  location: Pick<Location, 'origin' | 'pathname' | 'search' | 'hash' | 'href' | 'assign'>;
  /** history.replaceState, for the address without the code. */
  replaceAddress(url: string): void;
}

export function singleSignOn({ area, location, replaceAddress }: SingleSignOnDeps): SingleSignOn {
  return {
    async start(settings) {
      const { authorizeUrl, pending } = await startCognitoFlow(settings, pageAddress(location));
      const kept: Pending = { ...pending, returnTo: location.hash };
      await area.set({ [PENDING_KEY]: kept });
      location.assign(authorizeUrl);
    },
    async finish() {
      const query = new URLSearchParams(location.search);
      if (!query.has('code') && !query.has('error')) return undefined;
      const landed = location.href;
      const kept = (await area.get(PENDING_KEY))[PENDING_KEY] as Pending | undefined;
      await area.remove(PENDING_KEY);
      const returnTo = typeof kept?.returnTo === 'string' && kept.returnTo.startsWith('#/') ? kept.returnTo : '';
      // The code is single use and bound to our verifier, but it need not stay in the address bar or history.
      replaceAddress(`${location.pathname}${returnTo}`);
      if (!kept || typeof kept.state !== 'string' || typeof kept.codeVerifier !== 'string') {
        return { failure: new ApiFailure('bad-request', 'Single sign-on answered a sign-in this tab did not start. Please try again.'), returnTo };
      }
      try {
        return { grant: finishCognitoFlow(landed, kept), returnTo };
      } catch (error) {
        if (error instanceof ApiFailure) return { failure: error, returnTo };
        throw error;
      }
    },
  };
}
