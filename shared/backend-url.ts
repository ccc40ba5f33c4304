/**
 * The rule for the Switchyard backend's URL, wherever it comes from (the build, the options page, company
 * policy): `https:`, or plain `http:` only to this machine (loopback), where `npm start` runs the API. The
 * session token and passwords travel to this URL, so anything else would send them readable over the network.
 */

export type BackendUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** Checks a backend URL and returns it without a trailing slash, or says what is wrong (the reason quotes no value). */
export function checkBackendUrl(raw: string): BackendUrlCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'is not a URL (expected e.g. https://switchyard.example.com)' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `must start with https:// (not ${url.protocol}//)` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: 'must use https:// (plain http:// is only allowed to this machine: localhost, 127.0.0.1 or [::1])' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain a user name or password' };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'must not have a ?query or #fragment' };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}

/** localhost, 127.0.0.0/8 and [::1]: names that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
