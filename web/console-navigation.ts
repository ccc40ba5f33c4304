/**
 * Opening a console from the web page: the page itself goes to the console (the Back button comes back
 * to the list), or, with Ctrl/Cmd or Shift, a new tab or window does. As the extension does when the
 * console's multi-session mode is off, the navigation passes through the sign-in host's logout first, so
 * a console signed in to another role does not stop on its "sign out first" page. The login URL is a
 * bearer secret: it goes to the browser and nowhere else, and no Referer leaves with it
 * (Referrer-Policy: no-referrer, and noreferrer for new tabs).
 */
import type { ConsoleOpener } from '../extension/background/console-opener.ts';
import { signOutFirstUrl } from '../extension/background/console-tabs.ts';

export interface Navigation {
  /** location.assign */
  assign(url: string): void;
  /** window.open */
  open(url: string, target: string, features: string): void;
}

export function consoleNavigation(navigation: Navigation): ConsoleOpener {
  return async ({ signInUrl, disposition }) => {
    const url = signOutFirstUrl(await signInUrl());
    if (disposition === 'default') {
      navigation.assign(url);
      return { opened: 'this-tab' };
    }
    // A page cannot open a tab behind itself: Ctrl/Cmd opens an ordinary new tab.
    navigation.open(url, '_blank', `noopener,noreferrer${disposition === 'new-window' ? ',popup' : ''}`);
    return { opened: disposition === 'new-window' ? 'new-window' : 'new-tab' };
  };
}
