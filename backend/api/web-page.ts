/**
 * The web page (web/, docs/web-page.md): the popup's list for browsers without the extension, served by
 * the API itself so that the page and the API share one origin (no CORS, no second deployment). Only two
 * kinds of path are the page's: `/` (index.html) and `/assets/<file>` (the build's content-hashed files);
 * every other path stays the API's.
 *
 * What the page is sent with: a Content-Security-Policy that lets it load and run only its own files (no
 * inline script or style, no eval, Trusted Types with no policy, no framing, no other origin to call), and
 * Cross-Origin-Opener-Policy; the app adds X-Frame-Options DENY and Referrer-Policy no-referrer to every
 * answer. index.html is revalidated on every load; the hashed assets are cached for a year.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { serveStatic } from 'hono/serve-static';

/** The page's built files, by path relative to the build's root ("index.html", "assets/main-1a2b.js"). */
export interface WebPageFiles {
  /** The file's bytes, or undefined when the build has no such file. */
  read(path: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
}

/** Where the page's index is, and where vite puts every other file (each name carries its content hash). */
export const WEB_PAGE_INDEX = 'index.html';
export const WEB_PAGE_ASSETS = 'assets';

export const WEB_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** The content types the page's build has; a file of another kind is not served. */
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** index.html, or one file right under assets/ (vite's names: letters, digits, '-', '_' and dots). */
const SERVED = /^(index\.html|assets\/[\w-]+(\.[\w-]+)+)$/;

const REVALIDATE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Serves the page's files on `app`: GET and HEAD of `/` and `/assets/<file>`. */
export function serveWebPage(app: Hono, files: WebPageFiles): void {
  const headers =
    (cacheControl: string): MiddlewareHandler =>
    async (c, next) => {
      await next();
      if (c.res.status !== 200) return;
      c.header('cache-control', cacheControl);
      c.header('content-security-policy', WEB_PAGE_CSP);
      c.header('cross-origin-opener-policy', 'same-origin');
      c.header('cross-origin-resource-policy', 'same-origin');
    };
  const getContent = async (path: string) => {
    const name = path.replace(/^\/+/, '');
    // Its precompressed copies (.br, .gz, written by the build) are asked for by the same name plus their suffix.
    const plain = name.replace(/\.(br|gz)$/, '');
    if (!SERVED.test(plain) || !CONTENT_TYPES[plain.slice(plain.lastIndexOf('.') + 1)]) return null;
    return (await files.read(name)) ?? null;
  };
  app.get('/', headers(REVALIDATE), serveStatic({ path: WEB_PAGE_INDEX, getContent, mimes: CONTENT_TYPES, precompressed: true }));
  app.get(`/${WEB_PAGE_ASSETS}/*`, headers(IMMUTABLE), serveStatic({ root: '/', getContent, mimes: CONTENT_TYPES, precompressed: true }));
}
