/**
 * The AWS console's multi-session mode, as seen in URLs. With the mode on, each signed-in identity
 * lives on a host of its own, `<account id>-<session id>.<region>.<console host>` (AWS's own example:
 * `000000000000-aaaaaaaa.us-east-1.console.aws.amazon.com`); with it off, the console lives on the
 * plain regional host `<region>.<console host>`. docs/console-access.md says which parts of this are
 * AWS's word and which come from other tools' public code.
 *
 * The local federation stand-in serves its sessions on `<account id>-<session id>.<region>.console.localhost`
 * (names under `.localhost` are loopback by definition, RFC 6761), over http, so the e2e tests can open
 * session hosts without reaching AWS.
 */
import { AWS_REGION_NAME, PARTITIONS, partitionHosts } from './partitions.ts';

/** The stand-in's console host; only over http, and only a loopback name. */
export const LOCAL_CONSOLE_HOST = 'console.localhost';

/** How many console sessions one browser holds at most in multi-session mode. */
export const MAX_CONSOLE_SESSIONS = 5;

/** `<account id>-<session id>`, where the session id is eight lower-case letters or digits. */
const SESSION_LABEL = /^(\d{12})-([a-z0-9]{8})$/;
const REGION = new RegExp(`^(?:${AWS_REGION_NAME.source})$`);

/** One console session's host, as the address bar shows it in multi-session mode. */
export interface ConsoleSessionHost {
  accountId: string;
  sessionId: string;
  region: string;
  /** `https://<account id>-<session id>.<region>.<console host>` (http:// for the stand-in, with its port). */
  origin: string;
}

/** What a tab's address says about the console's mode: a session host (multi), a plain regional console (single), or nothing. */
export type ConsoleModeEvidence = { mode: 'multi-session'; session: ConsoleSessionHost } | { mode: 'single-session' } | undefined;

function consoleHostOf(url: URL): string | undefined {
  if (url.protocol === 'http:' && url.hostname.endsWith(`.${LOCAL_CONSOLE_HOST}`)) return LOCAL_CONSOLE_HOST;
  if (url.protocol !== 'https:' || url.port !== '') return undefined;
  return PARTITIONS.map((partition) => partitionHosts(partition).console).find((host) => url.hostname.endsWith(`.${host}`));
}

function parse(address: string | undefined): URL | undefined {
  if (!address) return undefined;
  try {
    const url = new URL(address);
    return url.username || url.password ? undefined : url;
  } catch {
    return undefined;
  }
}

/** The console session a tab's address is on, when it is a multi-session host. */
export function consoleSessionOf(address: string | undefined): ConsoleSessionHost | undefined {
  const url = parse(address);
  const consoleHost = url && consoleHostOf(url);
  if (!url || !consoleHost) return undefined;
  const labels = url.hostname.slice(0, -consoleHost.length - 1).split('.');
  if (labels.length !== 2) return undefined;
  const [session, region] = labels as [string, string];
  const match = SESSION_LABEL.exec(session);
  if (!match || !REGION.test(region)) return undefined;
  return { accountId: match[1] as string, sessionId: match[2] as string, region, origin: url.origin };
}

/** What the address of a tab says about the console's mode (nothing when it is not a console page). */
export function consoleModeEvidence(address: string | undefined): ConsoleModeEvidence {
  const session = consoleSessionOf(address);
  if (session) return { mode: 'multi-session', session };
  const url = parse(address);
  const consoleHost = url && consoleHostOf(url);
  if (!url || !consoleHost || consoleHost === LOCAL_CONSOLE_HOST) return undefined;
  // A signed-in console without the mode lives on <region>.<console host>; with it, every console page is on a session host.
  const region = url.hostname.slice(0, -consoleHost.length - 1);
  return REGION.test(region) ? { mode: 'single-session' } : undefined;
}

/**
 * A page of an open console session: `path` (a console path such as /ec2/home, or a console URL whose
 * path, query and fragment are kept) on the session's own host, in `region` when the path names none.
 */
export function sessionPageUrl(session: Pick<ConsoleSessionHost, 'origin' | 'region'>, destination?: string, region?: string): string {
  const page = new URL('/console/home', session.origin);
  try {
    // Only the path, query and fragment are taken: whatever the destination names, the page stays on the session's host.
    const given = new URL(destination ?? '/console/home', page);
    [page.pathname, page.search, page.hash] = [given.pathname, given.search, given.hash];
  } catch {
    // Not a URL: the session's console home.
  }
  if (!page.searchParams.has('region')) page.searchParams.set('region', region ?? session.region);
  return page.href;
}

/** The stand-in's host for a session: what consoleSessionOf reads back. */
export function localSessionOrigin(accountId: string, sessionId: string, region: string, port: number): string {
  return `http://${accountId}-${sessionId}.${region}.${LOCAL_CONSOLE_HOST}:${port}`;
}
