/**
 * Where a click lands: the one check of a requested destination and region (docs/console-access.md,
 * "Which destinations"). A destination is a console path or a full console URL; it is accepted only when
 * the WHATWG URL parser puts it on a console origin of the deployment's partition. The region comes from
 * the request, else from the destination, else from the caller's default, and is never silently replaced.
 * Pure: the API calls it for every click, the extension may call it before it saves a pinned destination.
 */
import { consoleOriginFor, isRegionOf, partitionHosts, partitionOfConsoleHost, regionRefusal, type Partition } from './partitions.ts';

export interface DestinationRequest {
  /** A console path ("/ec2/home") or a full console URL; absent: the console home. */
  destination?: string;
  /** The region the request names, if any. */
  region?: string;
  /** Used when neither the request nor the destination names a region; must be a region of `partition`. */
  defaultRegion: string;
  /** The deployment's partition. */
  partition: Partition;
}

export interface ConsoleDestination {
  /** The console URL to land on: always on a console origin of the partition. */
  url: string;
  /** The region the console opens in. */
  region: string;
  /** The host of `url`, for the audit record. */
  host: string;
}

export type DestinationCheck =
  | { ok: true; destination: ConsoleDestination }
  /** `message` starts with the field name ("destination: ..." or "region: ...") and is safe to show as it is. */
  | { ok: false; field: 'destination' | 'region'; message: string };

const HOME_PATH = '/console/home';
/** A multi-session console host: "<account id>-<session id>." in front of a regional console host. */
const SESSION_LABEL = /^\d{12}-[a-z0-9]{1,32}$/;
const SHOWABLE = /^[a-z0-9-]{1,40}$/;
/** How often a path is percent-decoded to see what a lenient reader could make of it. */
const DECODE_ROUNDS = 4;

export function checkConsoleDestination(request: DestinationRequest): DestinationCheck {
  const { partition } = request;
  if (request.region !== undefined) {
    const problem = regionProblem(request.region, partition);
    if (problem) return { ok: false, field: 'region', message: `region: ${problem}` };
  }
  const parsed = parseDestination(request.destination ?? HOME_PATH, partition);
  if ('problem' in parsed) return { ok: false, field: 'destination', message: `destination: ${parsed.problem}` };
  const { url, hostRegion } = parsed;

  const queryRegions = url.searchParams.getAll('region');
  for (const value of queryRegions) {
    if (!isRegionOf(value, partition)) {
      const shown = SHOWABLE.test(value) ? `region=${value}` : 'its region= parameter';
      return { ok: false, field: 'destination', message: `destination: ${shown} is not a region of ${partition}` };
    }
  }
  const queryRegion = queryRegions[0];
  if (queryRegions.some((value) => value !== queryRegion)) {
    return { ok: false, field: 'destination', message: `destination: it names two regions, ${queryRegions.join(' and ')}` };
  }
  if (hostRegion !== undefined && queryRegion !== undefined && hostRegion !== queryRegion) {
    return { ok: false, field: 'destination', message: `destination: its host is in ${hostRegion} but its region= says ${queryRegion}` };
  }
  const destinationRegion = hostRegion ?? queryRegion;
  if (request.region !== undefined && destinationRegion !== undefined && request.region !== destinationRegion) {
    return {
      ok: false,
      field: 'region',
      message: `region: the request says ${request.region} but the destination is in ${destinationRegion}; leave region out or make them agree`,
    };
  }
  const region = request.region ?? destinationRegion ?? request.defaultRegion;
  if (!isRegionOf(region, partition)) {
    return { ok: false, field: 'region', message: `region: no region of ${partition} to open the console in` };
  }
  if (destinationRegion === undefined) url.search = url.search ? `${url.search}&region=${region}` : `?region=${region}`;

  // The parser decided the origin above; this says it once more, in the terms the property test checks.
  if (!isConsoleUrl(url.href, partition)) return { ok: false, field: 'destination', message: 'destination: it is not a console page' };
  return { ok: true, destination: { url: url.href, region, host: url.host } };
}

/** True when `href` is an https URL on a console origin of the partition, without user name, password or port. */
export function isConsoleUrl(href: string, partition: Partition): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  return consoleHostRegion(url.hostname, partition) !== false;
}

function regionProblem(region: string, partition: Partition): string | undefined {
  return regionRefusal(region, partition, SHOWABLE.test(region) ? region : 'the region');
}

type Parsed = { url: URL; hostRegion?: string } | { problem: string };

function parseDestination(destination: string, partition: Partition): Parsed {
  if (destination !== destination.trim()) return { problem: 'remove the white space before or after it' };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(destination)) return { problem: 'white space and control characters are not allowed inside it' };
  if (destination.includes('\\')) return { problem: 'backslashes are not allowed' };

  if (destination.startsWith('/') && !destination.startsWith('//')) {
    const origin = consoleOriginFor(partition);
    if (decodesElsewhere(pathPart(destination), origin)) return { problem: 'its encoded characters decode to another host' };
    const url = new URL(destination, origin);
    if (url.origin !== origin || decodesElsewhere(url.pathname, origin)) return { problem: 'its encoded characters decode to another host' };
    return url.pathname.startsWith('//') ? { problem: 'its path must not start with //' } : { url };
  }
  if (/^http:\/\//i.test(destination)) return { problem: 'only https console URLs are accepted' };
  if (!/^https:\/\//i.test(destination)) return { problem: 'start it with / for a console path or https:// for a console URL' };

  const rest = destination.slice('https://'.length);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('@')) return { problem: 'a user name or password in the URL is not allowed' };
  if (authority.includes('%')) return { problem: 'percent-encoded characters in the host are not allowed' };
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return { problem: 'it is not a valid URL' };
  }
  if (url.port !== '') return { problem: 'a port in the URL is not allowed' };
  if (decodesElsewhere(pathPart(rest.slice(authority.length)), url.origin) || decodesElsewhere(url.pathname, url.origin)) {
    return { problem: 'its encoded characters decode to another host' };
  }
  if (url.pathname.startsWith('//')) return { problem: 'its path must not start with //' };

  const hostRegion = consoleHostRegion(url.hostname, partition);
  if (hostRegion === false) {
    const session = sessionHostRegion(url.hostname, partition);
    if (session === undefined) return { problem: notAConsoleHost(url.hostname, partition) };
    // A link copied from a multi-session console: open it in the new session, on the regional host.
    url.hostname = `${session}.${partitionHosts(partition).console}`;
    return { url, hostRegion: session };
  }
  return hostRegion === undefined ? { url } : { url, hostRegion };
}

/** The region of a console host of the partition (undefined for a global host); false when it is not one. */
function consoleHostRegion(host: string, partition: Partition): string | undefined | false {
  const hosts = partitionHosts(partition);
  if (host === hosts.console || hosts.serviceConsoles.includes(host)) return undefined;
  if (!host.endsWith(`.${hosts.console}`)) return false;
  const label = host.slice(0, -hosts.console.length - 1);
  return isRegionOf(label, partition) ? label : false;
}

function sessionHostRegion(host: string, partition: Partition): string | undefined {
  const suffix = `.${partitionHosts(partition).console}`;
  if (!host.endsWith(suffix)) return undefined;
  const [session, region, ...more] = host.slice(0, -suffix.length).split('.');
  if (more.length > 0 || session === undefined || region === undefined) return undefined;
  return SESSION_LABEL.test(session) && isRegionOf(region, partition) ? region : undefined;
}

function notAConsoleHost(host: string, partition: Partition): string {
  const owner = partitionOfConsoleHost(host);
  if (owner !== undefined && owner !== partition && consoleHostRegion(host, owner) !== false) {
    return `${host} is the console of ${owner}; this Switchyard deployment serves ${partition}`;
  }
  const consoleHost = partitionHosts(partition).console;
  return `${host} is not an AWS console host of this deployment (${partition}): use a path such as /ec2/home or a URL on ${consoleHost} or <region>.${consoleHost}`;
}

/** The path of a path-and-rest: everything before "?" or "#". */
function pathPart(pathAndRest: string): string {
  return pathAndRest.split(/[?#]/, 1)[0] ?? '';
}

/**
 * Whether percent-decoding the path, once or several times as a lenient reader might, yields something
 * that a URL parser would take to another host: "//host", a backslash, a control character, another origin.
 */
function decodesElsewhere(path: string, origin: string): boolean {
  let current = path;
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) return false;
    current = next;
    // eslint-disable-next-line no-control-regex -- control characters are what a URL parser strips or misreads
    if (current.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(current)) return true;
    try {
      if (new URL(current, origin).origin !== origin) return true;
    } catch {
      return true;
    }
  }
  return false;
}
