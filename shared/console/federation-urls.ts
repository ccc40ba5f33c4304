/**
 * The URLs of the AWS federation endpoint: the getSigninToken request and the login URL. The
 * endpoint itself comes from the one partition table (partitions.ts, federationEndpointFor); where
 * a click lands is destination.ts.
 */

/** The `login` URL that turns a sign-in token into a console session on `destination` (a checked console URL). */
export function consoleLoginUrl(federationEndpoint: string, params: { issuer: string; destination: string; signinToken: string }): string {
  const url = new URL(federationEndpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', params.issuer);
  url.searchParams.set('Destination', params.destination);
  url.searchParams.set('SigninToken', params.signinToken);
  return url.toString();
}

/** The `getSigninToken` request URL for temporary credentials, with an explicit console session length. */
export function signinTokenRequestUrl(
  federationEndpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  sessionDurationSeconds: number,
): string {
  const url = new URL(federationEndpoint);
  url.searchParams.set('Action', 'getSigninToken');
  url.searchParams.set('SessionDuration', String(sessionDurationSeconds));
  url.searchParams.set(
    'Session',
    JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  );
  return url.toString();
}
