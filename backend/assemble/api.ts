/** The HTTP API's part of the composition root (see policy-bucket.ts): the API Lambda and `npm start`. */
import type { Directory } from '../auth/directory.ts';
import { EmbeddedDirectory } from '../auth/embedded-directory.ts';
import { readSessionKey } from '../auth/session-key.ts';
import { makeSessionTokens } from '../auth/session-tokens.ts';
import type { ApiDeps } from '../api/deps.ts';
import type { AwsClientObserver } from '../aws/call-counter.ts';
import { createCognitoIdentityClient, createS3Client, createSecretsManagerClient, createStsClient, type AwsSettings } from '../aws/clients.ts';
import { PublishedPolicyReader } from '../bucket/published-policy-reader.ts';
import { S3ObjectReader } from '../bucket/s3-object-reader.ts';
import type { BrokerSteps } from '../broker/console-broker.ts';
import { makeWebIdentityBroker, makeWebIdentitySteps, type WebIdentityBrokerDeps } from '../broker/web-identity-broker.ts';
import { ConfigError, type ApiConfig, type DoctorConfig } from '../config/config.ts';
import { createLogger, type AppLogger } from '../logging.ts';
import { makePublishedPolicySource } from '../policy/published-policy.ts';
import { federationEndpointFor } from '../../shared/console-urls.ts';

export interface ApiExtras {
  logger?: AppLogger;
  /** Static credentials (the local stack's moto); production uses the Lambda role's. */
  credentials?: AwsSettings['credentials'];
  /** Sees every AWS client the API builds (tests record the exact inputs of each call; the benchmark counts them). */
  awsObserver?: AwsClientObserver;
  /** The federation endpoint's HTTP client (tests record the getSigninToken request). */
  fetch?: typeof fetch;
}

export async function assembleApi(config: ApiConfig, extras: ApiExtras = {}): Promise<ApiDeps> {
  const logger = extras.logger ?? createLogger('switchyard-api', config.logLevel);
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  // Read-only: the API reads the published policy and nothing else of the bucket.
  const bucket = new PublishedPolicyReader(new S3ObjectReader(createS3Client(aws), config.policy.bucket), config.policy.prefix);
  return {
    logger,
    defaultRegion: config.aws.region,
    partition: config.aws.partition,
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    directory: await assembleDirectory(config.directory),
    sessionTokens: makeSessionTokens(await sessionKey(config.sessionKey, aws), config.sessionSeconds),
    policy: makePublishedPolicySource({ bucket, maxAgeMs: config.policyCacheMs }),
    broker: makeWebIdentityBroker({ ...brokerDeps(config, aws, extras), logger }),
  };
}

/** The broker's pieces alone, for `switchyard doctor` (run with the admin's own credentials). */
export function assembleBrokerSteps(config: DoctorConfig, extras: Omit<ApiExtras, 'logger'> = {}): BrokerSteps {
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  return makeWebIdentitySteps(brokerDeps(config, aws, extras));
}

function brokerDeps(config: DoctorConfig, aws: AwsSettings, extras: Omit<ApiExtras, 'logger'>): WebIdentityBrokerDeps {
  const cognitoIdentity = createCognitoIdentityClient(aws);
  const sts = createStsClient(aws);
  extras.awsObserver?.attach(cognitoIdentity, 'api');
  extras.awsObserver?.attach(sts, 'api');
  return {
    cognitoIdentity,
    sts,
    identityPoolId: config.identityPoolId,
    developerProviderName: config.developerProvider,
    partition: config.aws.partition,
    federationEndpoint: config.federationEndpoint ?? federationEndpointFor(config.aws.partition),
    federationIsAws: config.federationEndpoint === undefined,
    issuer: 'Switchyard',
    ...(extras.fetch ? { fetch: extras.fetch } : {}),
  };
}

async function sessionKey(key: ApiConfig['sessionKey'], aws: AwsSettings): Promise<Uint8Array> {
  return 'secret' in key ? key.secret : readSessionKey(createSecretsManagerClient(aws), key.secretArn);
}

async function assembleDirectory(directory: ApiConfig['directory']): Promise<Directory> {
  if (directory.kind === 'embedded') return EmbeddedDirectory.fromFile(directory.file);
  throw new ConfigError([`SWITCHYARD_DIRECTORY is ${directory.kind}, which this build does not have yet (the sign-in work adds it)`]);
}
