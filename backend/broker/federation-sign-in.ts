/**
 * The AWS federation endpoint: trades temporary credentials for a sign-in token (getSigninToken)
 * and builds the console `login` URL. Locally the endpoint is a loopback stand-in.
 */
import { consoleDestinationUrl, consoleLoginUrl, signinTokenRequestUrl } from '../../shared/console-urls.ts';
import { BrokerError } from './console-broker.ts';
import type { TemporaryCredentials } from './web-identity-credentials.ts';

export interface FederationSignInDeps {
  federationEndpoint: string;
  /** Shown by AWS on the console's sign-out page ("return to ..."). */
  issuer: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function makeFederationSignIn(deps: FederationSignInDeps) {
  const fetchImpl = deps.fetch ?? fetch;
  return async function loginUrl(
    credentials: TemporaryCredentials,
    options: { sessionDurationSeconds: number; region: string; destination?: string },
  ): Promise<string> {
    const requestUrl = signinTokenRequestUrl(deps.federationEndpoint, credentials, options.sessionDurationSeconds);
    let response: Response;
    try {
      response = await fetchImpl(requestUrl, { signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) });
    } catch (error) {
      // The request URL holds the credentials: report only the endpoint.
      throw new BrokerError(`the federation endpoint ${deps.federationEndpoint} did not answer (${(error as Error).name})`);
    }
    if (!response.ok) {
      throw new BrokerError(`the federation endpoint ${deps.federationEndpoint} answered HTTP ${response.status}`);
    }
    const body = (await response.json().catch(() => null)) as { SigninToken?: unknown } | null;
    if (typeof body?.SigninToken !== 'string' || body.SigninToken.length === 0) {
      throw new BrokerError(`the federation endpoint ${deps.federationEndpoint} returned no sign-in token`);
    }
    return consoleLoginUrl(deps.federationEndpoint, {
      issuer: deps.issuer,
      destination: consoleDestinationUrl(options.region, options.destination),
      signinToken: body.SigninToken,
    });
  };
}
