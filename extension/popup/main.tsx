/**
 * Entry: takes the list's head (or the whole list, when no head of it was kept) and the preferences, read
 * since the page's head (popup-start.ts), then renders once, with the list, so the first frame shows it.
 * The whole list follows a head into the view once the first frame is drawn (App, `rest`).
 */
import { render } from 'preact';
import { App } from './App.tsx';
import { send } from './host.ts';
import { rowsOfKeys } from './list-items.ts';
import { takeStart } from './popup-start.ts';

const root = document.getElementById('app');
const { head, wholeList, preferences } = takeStart();
void Promise.all([head, preferences]).then(async ([first, prefs]) => {
  const initial = first ?? (await wholeList());
  // Marks for npm run bench -- popup: where the time before the first frame goes.
  performance.mark('switchyard:cache-read');
  if (root) render(<App initial={initial} preferences={prefs} rest={first ? wholeList : undefined} />, root);
  performance.mark('switchyard:rendered');
  // Drawn from the whole list: the background keeps its head for the next open, once the popup is idle.
  if (!first && initial)
    requestIdleCallback(() => {
      const keys = [...prefs.favourites, ...prefs.recents];
      void send({ type: 'list/keep-head', version: initial.meta.version, rows: rowsOfKeys(initial.list, keys), keys });
    });
});
