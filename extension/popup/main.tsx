/**
 * Entry: read the cached list first (one storage.session get, started before anything renders),
 * then render once, with the list, so the first frame already shows it.
 */
import { render } from 'preact';
import { App } from './App.tsx';
import { readCachedList } from './cached-list-reader.ts';
import { loadPreferences } from './preferences.ts';

const root = document.getElementById('app');
const cached = readCachedList().catch(() => undefined);
const preferences = loadPreferences().catch(() => ({ favourites: [], recents: [], pinned: [] }));
void Promise.all([cached, preferences]).then(([initial, prefs]) => {
  // Marks for npm run bench -- popup: where the time before the first frame goes.
  performance.mark('switchyard:cache-read');
  if (root) render(<App initial={initial} preferences={prefs} />, root);
  performance.mark('switchyard:rendered');
});
