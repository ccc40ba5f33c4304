/**
 * CORS for the extension's origins. The API uses bearer tokens, not cookies, so CORS is not its
 * defence; it only lets the extension's pages and worker read the answers.
 */
import { cors } from 'hono/cors';
import { CHANNEL_HEADER } from '../../shared/api/channel.ts';

/** Exact origins ("chrome-extension://abc...") or "<scheme>://*" for any extension of that browser. */
export const ANY_EXTENSION = ['chrome-extension://*', 'moz-extension://*'];

export function extensionCors(allowedOrigins: string[] = ANY_EXTENSION) {
  const allowed = (origin: string) =>
    allowedOrigins.some((entry) =>
      entry.endsWith('://*') ? origin.startsWith(entry.slice(0, -1)) && origin.length > entry.length - 1 : origin === entry,
    );
  return cors({
    origin: (origin) => (origin && allowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', CHANNEL_HEADER],
    maxAge: 600,
  });
}
