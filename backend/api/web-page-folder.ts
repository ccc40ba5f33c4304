/** The web page's built files in a folder: beside the Lambda's index.mjs (web/), or dist/web under `npm start`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebPageFiles } from './web-page.ts';

export function webPageFolder(dir: string): WebPageFiles {
  return {
    async read(path) {
      try {
        return await readFile(join(dir, path));
      } catch (error) {
        // A file the build does not have (a precompressed copy, a stale hashed name): the API's 404.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
        throw error;
      }
    },
  };
}
