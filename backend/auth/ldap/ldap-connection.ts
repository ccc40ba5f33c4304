/**
 * Connecting to the directory: each configured URL in order (Directory Service gives two domain
 * controllers), LDAPS or StartTLS verified against the configured CA bundle, a timeout on the TCP
 * connect and on every operation, and a deadline over each whole attempt (the TLS handshake after
 * StartTLS has no timeout of its own in the client). A URL that cannot be reached, or does not answer
 * in time, passes the work to the next; an LDAP answer (a result code) never does.
 */
import { isIP } from 'node:net';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { errorText } from '../../../shared/error-text.ts';
import { DirectoryUnavailable } from '../directory.ts';

export interface LdapTransport {
  /** ldaps://host[:port] or ldap://host[:port], tried in order. */
  urls: readonly string[];
  /** PEM CA bundle the server certificates must chain to; undefined: Node's public CAs. */
  ca?: string;
  /** Upgrade ldap:// connections with StartTLS before anything is sent. */
  startTls: boolean;
  /** Timeout of the TCP (and LDAPS) connect and of each operation; each attempt gets three of these. */
  timeoutMs: number;
}

export interface AttemptLog {
  /** A URL failed and the next one is tried (or none is left): its address and why, never credentials. */
  unreachable(url: string, reason: string): void;
}

/**
 * Runs `work` on a client connected to the first URL that answers, and closes it. Throws
 * `DirectoryUnavailable` when no URL could be used; `work`'s own errors (LDAP result codes) pass through.
 */
export async function onFirstReachable<T>(transport: LdapTransport, work: (client: Client) => Promise<T>, log?: AttemptLog): Promise<T> {
  const failures: string[] = [];
  for (const url of transport.urls) {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const tlsOptions = {
      ...(transport.ca !== undefined ? { ca: transport.ca } : {}),
      minVersion: 'TLSv1.2' as const,
      host,
      // SNI must name a host, never an IP address (RFC 6066); the certificate check still uses `host`.
      ...(isIP(host) ? {} : { servername: host }),
    };
    // TLS options only for ldaps://: given any, ldapts speaks TLS from the first byte even to an ldap:// URL.
    const client = new Client({
      url,
      connectTimeout: transport.timeoutMs,
      timeout: transport.timeoutMs,
      ...(url.startsWith('ldaps://') ? { tlsOptions } : {}),
      strictDN: true,
    });
    try {
      return await withDeadline(
        (async () => {
          if (transport.startTls && url.startsWith('ldap://')) await client.startTLS(tlsOptions);
          return await work(client);
        })(),
        transport.timeoutMs * 3,
      );
    } catch (error) {
      if (error instanceof ResultCodeError) throw error;
      const reason = describe(error);
      failures.push(`${url}: ${reason}`);
      log?.unreachable(url, reason);
    } finally {
      // Not awaited: on a dead connection the unbind itself would wait for its timeout.
      client.unbind().catch(() => undefined);
    }
  }
  throw new DirectoryUnavailable(`no directory server answered (${failures.join('; ')})`);
}

class DeadlineExceeded extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
  });
  // The abandoned work may still fail later; that is expected and must not surface as unhandled.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Why a URL could not be used, in words that carry no data from the request: the socket's error code, or the error's first line. */
function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = errorText(error);
  if (!code) return text;
  return text.includes(code) ? code : `${code}: ${text}`;
}

/** The read-only service account: its name and how to read its password (a secret, read when needed). */
export interface LdapServiceAccount {
  bindName: string;
  password: () => Promise<string>;
}

/** Binds `client` as the service account; a refused bind is the directory misconfigured, not a person's wrong password. */
export async function bindAsServiceAccount(client: Client, service: LdapServiceAccount, password: string): Promise<void> {
  try {
    await client.bind(service.bindName, password);
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      throw new DirectoryUnavailable('the service account (SWITCHYARD_LDAP_SERVICE_ACCOUNT) could not bind: check its name and password');
    }
    throw error;
  }
}
