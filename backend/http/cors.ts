/**
 * CORS for the extension's origins. The API uses bearer tokens, not cookies, so CORS is not its
 * defence; it only lets the extension's pages and worker read the answers.
 */
export interface CorsPolicy {
  /** Exact origins ("chrome-extension://abc...") or patterns with one trailing "*". */
  allowedOrigins: string[];
}

export const EXTENSION_ORIGINS: CorsPolicy = { allowedOrigins: ['chrome-extension://*', 'moz-extension://*'] };

export function corsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (!origin || !isAllowed(policy, origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

function isAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.allowedOrigins.some((allowed) =>
    allowed.endsWith('*') ? origin.startsWith(allowed.slice(0, -1)) : origin === allowed,
  );
}
