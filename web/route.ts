/**
 * The page's routes, in the address's fragment (the page is one file at the API's root, and a fragment
 * never reaches a server or a Referer):
 *   #/                 the list
 *   #/open?…           opens one pair after sign-in (deep-link.ts)
 *   #/cli-login?…      signs the Switchyard CLI in (cli-login-route.ts)
 * A route that cannot be followed is refused with the reason, never half followed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CliLoginPageParams } from '../shared/api/cli-login.ts';
import { parseCliLoginRoute } from './cli-login-route.ts';
import { OPEN_ROUTE, parseDeepLink, type DeepLink } from './deep-link.ts';
import { CLI_LOGIN_PAGE_ROUTE } from '../shared/api/cli-login.ts';

export type Route =
  | { kind: 'list'; refusedLink?: string }
  | { kind: 'open'; link: DeepLink }
  | { kind: 'cli-login'; request: CliLoginPageParams }
  | { kind: 'cli-login-refused'; problem: string };

export const LIST_ROUTE = '#/';

export function routeOf(hash: string): Route {
  const at = hash.indexOf('?');
  const path = at < 0 ? hash : hash.slice(0, at);
  const query = at < 0 ? '' : hash.slice(at + 1);
  if (path === OPEN_ROUTE) {
    const check = parseDeepLink(query);
    return check.ok ? { kind: 'open', link: check.link } : { kind: 'list', refusedLink: check.problem };
  }
  if (path === CLI_LOGIN_PAGE_ROUTE) {
    const check = parseCliLoginRoute(query);
    return check.ok ? { kind: 'cli-login', request: check.request } : { kind: 'cli-login-refused', problem: check.problem };
  }
  return { kind: 'list' };
}

/**
 * The route of the address, followed as it changes: a link followed in the same tab, and Back to a page the
 * browser kept as it was (the back-forward cache), whose route was replaced before it was left.
 */
export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    addEventListener('pageshow', changed);
    return () => {
      removeEventListener('hashchange', changed);
      removeEventListener('pageshow', changed);
    };
  }, []);
  return routeOf(hash);
}

/** Leaves a route for the list, replacing it in the history: Back must not follow a link twice. */
export function leaveForTheList(): void {
  history.replaceState(null, '', `${location.pathname}${LIST_ROUTE}`);
  dispatchEvent(new HashChangeEvent('hashchange'));
}
