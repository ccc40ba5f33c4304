/**
 * Which Switchyard API the CLI talks to: `--api URL`, else SWITCHYARD_API_URL, else the one
 * `switchyard login --api URL` saved in ~/.switchyard/config.json. An http:// URL is accepted only for
 * a loopback host (the local stack): anything else would send tokens in the clear.
 */
import { cliPaths, readJsonFile, writePrivateFile, type CliEnvironment } from './home.ts';

export function resolveApiUrl(flag: string | undefined, env: CliEnvironment): string | undefined {
  const chosen = flag ?? env.SWITCHYARD_API_URL ?? savedApiUrl(env);
  return chosen === undefined || chosen === '' ? undefined : normalizeApiUrl(chosen);
}

export function saveApiUrl(env: CliEnvironment, api: string): void {
  writePrivateFile(cliPaths(env).settings, `${JSON.stringify({ api }, null, 2)}\n`);
}

/** The base URL without a trailing slash; throws with a message for the person when it cannot be one. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`the API URL ${JSON.stringify(raw)} is not a URL (e.g. https://switchyard.example.com)`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`the API URL must start with https:// (http:// only for 127.0.0.1 or localhost), not ${url.protocol}//`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new Error('the API URL must not carry a user name, password, query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function savedApiUrl(env: CliEnvironment): string | undefined {
  const saved = readJsonFile(cliPaths(env).settings);
  return typeof saved === 'object' && saved !== null && typeof (saved as { api?: unknown }).api === 'string'
    ? (saved as { api: string }).api
    : undefined;
}
