/**
 * Entry: read the cached list first (one storage.session get, started before anything renders),
 * then render once, with the list, so the first frame already shows it.
 */
import { render } from 'preact';
import { App } from './App.tsx';
import { extensionHost } from './extension-host.ts';
import { HostContext } from './host.ts';

const root = document.getElementById('app');
const cached = extensionHost.readList().catch(() => undefined);
const preferences = extensionHost.preferences.load().catch(() => ({ favourites: [], recents: [], pinned: [] }));
void Promise.all([cached, preferences]).then(([initial, prefs]) => {
  // Marks for npm run bench -- popup: where the time before the first frame goes.
  performance.mark('switchyard:cache-read');
  if (root)
    render(
      <HostContext.Provider value={extensionHost}>
        <App initial={initial} preferences={prefs} />
      </HostContext.Provider>,
      root,
    );
  performance.mark('switchyard:rendered');
});
