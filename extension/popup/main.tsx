/**
 * Entry: takes the cached list and the preferences (read since the page's head, popup-start.ts), then
 * renders once, with the list, so the first frame already shows it.
 */
import { render } from 'preact';
import { App } from './App.tsx';
import { takeStart } from './popup-start.ts';

const root = document.getElementById('app');
const { cached, preferences } = takeStart();
void Promise.all([cached, preferences]).then(([initial, prefs]) => {
  // Marks for npm run bench -- popup: where the time before the first frame goes.
  performance.mark('switchyard:cache-read');
  if (root) render(<App initial={initial} preferences={prefs} />, root);
  performance.mark('switchyard:rendered');
});
