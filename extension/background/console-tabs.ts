/**
 * Console tabs and console sessions, as pure functions of URLs.
 * The AWS console keeps one session per browser (per cookie jar) unless the person turned on its
 * multi-session mode; a federation `login` while another account is signed in lands on the
 * console's "sign out first" page. Sending the tab through the sign-in host's logout, which then
 * redirects to the login URL, avoids that page (docs/popup.md, "Console sessions").
 */
import { consoleDestinationUrl } from '../../shared/console-urls.ts';

/** One region per partition is enough to learn each partition's console host. */
const CONSOLE_HOSTS = ['us-east-1', 'us-gov-west-1', 'cn-north-1'].map((region) => new URL(consoleDestinationUrl(region)).hostname);

/** A tab showing the console (any region or multi-session subdomain), or the sign-in host the login URL belongs to. */
export function isConsoleTab(tabUrl: string | undefined, loginUrl: string): boolean {
  if (!tabUrl) return false;
  let tab: URL;
  try {
    tab = new URL(tabUrl);
  } catch {
    return false;
  }
  if (tab.origin === new URL(loginUrl).origin) return true;
  return tab.protocol === 'https:' && CONSOLE_HOSTS.some((host) => tab.hostname === host || tab.hostname.endsWith(`.${host}`));
}

/** The login URL behind a logout on its own sign-in host: one navigation that ends any console session first. */
export function signOutFirstUrl(loginUrl: string): string {
  const login = new URL(loginUrl);
  const logout = new URL('/oauth', login.origin);
  logout.searchParams.set('Action', 'logout');
  logout.searchParams.set('redirect_uri', login.href);
  return logout.href;
}
