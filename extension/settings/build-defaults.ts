/** What the build baked in (vite.config.ts): the backend URL `npm start` passes, or none for a production build without one. */
import type { Settings } from './settings.ts';

/** Replaced at build time by vite.config.ts from SWITCHYARD_API_URL: the checked URL, or null when unset. */
declare const __SWITCHYARD_API_URL__: string | null;

export function buildDefaults(): Partial<Settings> {
  return __SWITCHYARD_API_URL__ ? { apiUrl: __SWITCHYARD_API_URL__ } : {};
}
