/**
 * The popup page's first script: a classic script in its head (built on its own by vite.config.ts), so that
 * reading the cached list from storage.session overlaps the loading of the popup's modules (popup-start.ts).
 */
import { startReadsForEntry } from './popup-start.ts';

startReadsForEntry();
