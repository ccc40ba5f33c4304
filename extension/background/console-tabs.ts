/**
 * Console tabs and console sessions, as pure functions of URLs.
 * The AWS console keeps one session per browser (per cookie jar) unless the person turned on its
 * multi-session mode; a federation `login` while another account is signed in lands on the
 * console's "sign out first" page. Sending the tab through the sign-in host's logout, which then
 * redirects to the login URL, avoids that page (docs/popup.md, "Console sessions").
 */
import { partitionOfConsoleHost } from '../../shared/console/partitions.ts';

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
  return tab.protocol === 'https:' && partitionOfConsoleHost(tab.hostname) !== undefined;
}

/** The login URL behind a logout on its own sign-in host: one navigation that ends any console session first. */
export function signOutFirstUrl(loginUrl: string): string {
  const login = new URL(loginUrl);
  const logout = new URL('/oauth', login.origin);
  logout.searchParams.set('Action', 'logout');
  logout.searchParams.set('redirect_uri', login.href);
  return logout.href;
}
