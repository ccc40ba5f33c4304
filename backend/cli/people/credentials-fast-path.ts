/**
 * `switchyard credentials` answered from the cache alone: what the bundled CLI runs before it compiles the
 * rest of itself (backend/deploy/bundle-cli.ts), so a `credential_process` call with a warm cache costs
 * little more than starting Node. Anything it cannot answer (no cache, a wrong command line) is left to
 * the command itself, which says why.
 */
import { parseArgs } from 'node:util';
import { resolveApiUrl } from './api-url.ts';
import { cacheFileOf, credentialProcessOutput, readCachedCredentials } from './credential-cache.ts';
import type { CliEnvironment } from './home.ts';

export const CREDENTIALS_OPTIONS = {
  account: { type: 'string' },
  'permission-set': { type: 'string' },
  region: { type: 'string' },
  api: { type: 'string' },
} as const;

/** The `credential_process` output for `args` (after the word `credentials`) from the cache; undefined to run the command. */
export function cachedCredentialsOutput(args: string[], env: CliEnvironment, now = Date.now()): string | undefined {
  try {
    const { values } = parseArgs({ args, options: CREDENTIALS_OPTIONS, strict: true, allowPositionals: false });
    const api = resolveApiUrl(values.api, env);
    const permissionSet = values['permission-set'];
    if (api === undefined || values.account === undefined || permissionSet === undefined) return undefined;
    const cached = readCachedCredentials(cacheFileOf(env, api, { account: values.account, permissionSet, region: values.region }), now);
    return cached ? credentialProcessOutput(cached) : undefined;
  } catch {
    return undefined;
  }
}
