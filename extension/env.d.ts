/** Replaced at build time by vite.config.ts from SWITCHYARD_API_URL. */
declare const __SWITCHYARD_API_URL__: string;
