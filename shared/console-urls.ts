/**
 * AWS partitions and the console and federation endpoints that belong to each.
 * Pure: the broker and the extension both use it.
 */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

interface PartitionEndpoints {
  federation: string;
  console: string;
}

const ENDPOINTS: Record<Partition, PartitionEndpoints> = {
  aws: { federation: 'https://signin.aws.amazon.com/federation', console: 'https://console.aws.amazon.com' },
  'aws-us-gov': {
    federation: 'https://signin.amazonaws-us-gov.com/federation',
    console: 'https://console.amazonaws-us-gov.com',
  },
  'aws-cn': { federation: 'https://signin.amazonaws.cn/federation', console: 'https://console.amazonaws.cn' },
};

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

export function federationEndpointFor(partition: Partition): string {
  return ENDPOINTS[partition].federation;
}

/** The console page to land on: `destination` is a console path such as "/ec2/home". */
export function consoleDestinationUrl(region: string, destination = '/console/home'): string {
  const url = new URL(destination, ENDPOINTS[partitionOfRegion(region)].console);
  url.searchParams.set('region', region);
  return url.toString();
}

/** The `login` URL that turns a sign-in token into a console session. */
export function consoleLoginUrl(federationEndpoint: string, params: { issuer: string; destination: string; signinToken: string }): string {
  const url = new URL(federationEndpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', params.issuer);
  url.searchParams.set('Destination', params.destination);
  url.searchParams.set('SigninToken', params.signinToken);
  return url.toString();
}

/** The `getSigninToken` request URL for temporary credentials. */
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
