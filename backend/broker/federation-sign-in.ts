/**
 * The AWS federation endpoint: trades temporary credentials for a sign-in token (getSigninToken, always
 * with an explicit SessionDuration) and builds the console `login` URL. Locally the endpoint is a loopback
 * stand-in (backend/local/federation-stand-in.ts).
 */
import { isConsoleUrl } from '../../shared/console/destination.ts';
import type { Partition } from '../../shared/console/partitions.ts';
import { consoleLoginUrl, signinTokenRequestUrl } from '../../shared/console/federation-urls.ts';
import { BrokerError, type TemporaryCredentials } from './console-broker.ts';
import { errorName } from '../../shared/error-text.ts';

export interface FederationSignInDeps {
  federationEndpoint: string;
  /** The deployment's partition: the only consoles a login URL may land on. */
  partition: Partition;
  /** Shown by AWS on the console's sign-out page ("return to ..."). */
  issuer: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A reason from the endpoint's error body is quoted only when it is short plain text. */
const MAX_QUOTED_REASON = 200;

export function makeFederationSignIn(deps: FederationSignInDeps) {
  const fetchImpl = deps.fetch ?? fetch;
  const endpoint = deps.federationEndpoint;

  async function signinToken(credentials: TemporaryCredentials, sessionDurationSeconds: number): Promise<string> {
    const requestUrl = signinTokenRequestUrl(endpoint, credentials, sessionDurationSeconds);
    let response: Response;
    try {
      response = await fetchImpl(requestUrl, { signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) });
    } catch (error) {
      // The request URL holds the credentials: report only the endpoint.
      throw new BrokerError('federation', `the federation endpoint ${endpoint} did not answer (${errorName(error)})`);
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      const reason = quotableReason(body, credentials);
      throw new BrokerError('federation', `the federation endpoint ${endpoint} answered HTTP ${response.status}${reason ? `: ${reason}` : ''}`);
    }
    let token: unknown;
    try {
      token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token.length === 0)
      throw new BrokerError('federation', `the federation endpoint ${endpoint} returned no sign-in token`);
    return token;
  }

  function loginUrl(signinTokenValue: string, destinationUrl: string): string {
    // The route checked the destination; a login URL never lands anywhere else, whoever calls this.
    if (!isConsoleUrl(destinationUrl, deps.partition)) throw new BrokerError('federation', 'the destination is not a console page of this partition');
    return consoleLoginUrl(endpoint, { issuer: deps.issuer, destination: destinationUrl, signinToken: signinTokenValue });
  }

  return { signinToken, loginUrl };
}

/** The endpoint's own words, when they are one short line that quotes none of the credentials. */
function quotableReason(body: string, credentials: TemporaryCredentials): string | undefined {
  const text = body.trim();
  if (text.length === 0 || text.length > MAX_QUOTED_REASON || !/^[\x20-\x7e]+$/.test(text) || text.includes('<')) return undefined;
  const secrets = [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken];
  return secrets.some((secret) => secret.length > 0 && text.includes(secret)) ? undefined : text;
}
