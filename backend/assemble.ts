/**
 * The composition root: the one place that turns configuration into the backend's parts. The
 * Lambda entries, the CLI, `npm start` and the integration tests all assemble through here, so
 * they cannot wire the same part two ways (the bucket prefix, the partition, the endpoints).
 */
import { EmbeddedDirectory } from './auth/embedded-directory.ts';
import { makeSessionTokens } from './auth/session-tokens.ts';
import type { ApiDeps } from './api/deps.ts';
import type { AwsClientObserver, CallCounter } from './aws/call-counter.ts';
import { createCognitoIdentityClient, createOrganizationsClient, createS3Client, createStsClient, type AwsSettings } from './aws/clients.ts';
import { PolicyBucket } from './bucket/policy-bucket.ts';
import { S3ObjectStore } from './bucket/s3-object-store.ts';
import type { BrokerSteps } from './broker/console-broker.ts';
import { makeWebIdentityBroker, makeWebIdentitySteps, type WebIdentityBrokerDeps } from './broker/web-identity-broker.ts';
import type { ApiConfig, BucketConfig, DoctorConfig, PlanConfig, ReconcilerConfig } from './config/config.ts';
import { createLogger, type AppLogger } from './logging.ts';
import { discoverAccounts } from './policy/organizations-accounts.ts';
import { makePublishedPolicySource } from './policy/published-policy.ts';
import type { PlanDeps, ReconcileDeps } from './reconcile/run.ts';
import { federationEndpointFor } from '../shared/console-urls.ts';

export function assemblePolicyBucket(aws: AwsSettings, policy: BucketConfig, callCounter?: CallCounter): PolicyBucket {
  const s3 = createS3Client(aws);
  callCounter?.attach(s3, 'management');
  return new PolicyBucket(new S3ObjectStore(s3, policy.bucket), policy.prefix);
}

/** What tests and the benchmark may add to or replace in an assembled reconciler. */
export type ReconcilerExtras = Partial<Omit<ReconcileDeps, 'bucket'>> & {
  bucket?: PolicyBucket;
  /** Static credentials (the local stack's moto); production uses the Lambda role's. */
  credentials?: AwsSettings['credentials'];
};

export function assembleReconciler(config: ReconcilerConfig, extras: ReconcilerExtras = {}): ReconcileDeps {
  const deps = planDeps(config, extras);
  return {
    ...deps,
    bucket: extras.bucket ?? assemblePolicyBucket(deps.settings, config.policy, extras.callCounter),
    lockTtlMs: extras.lockTtlMs ?? config.lockTtlMs,
  };
}

/** A planner of local folders: the bucket is used only when configured (for the retired-accounts state). */
export function assemblePlanner(config: PlanConfig, extras: ReconcilerExtras = {}): PlanDeps {
  const deps = planDeps(config, extras);
  const bucket = extras.bucket ?? (config.policy ? assemblePolicyBucket(deps.settings, config.policy, extras.callCounter) : undefined);
  return { ...deps, ...(bucket ? { bucket } : {}) };
}

function planDeps(config: PlanConfig, allExtras: ReconcilerExtras): Omit<ReconcileDeps, 'bucket'> {
  const { credentials, bucket: _bucket, ...extras } = allExtras;
  const settings = extras.settings ?? { ...config.aws, ...(credentials ? { credentials } : {}) };
  return {
    identityPoolId: config.identityPoolId,
    accessRoleName: config.accessRoleName,
    concurrency: config.concurrency,
    deletionGuardShare: config.deletionGuardShare,
    partition: config.aws.partition,
    discoverAccounts: () => discoverAccounts(createOrganizationsClient(settings)),
    ...extras,
    settings,
    logger: extras.logger ?? createLogger('switchyard-reconciler', config.logLevel),
  };
}

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
  const bucket = assemblePolicyBucket(aws, config.policy);
  return {
    logger,
    defaultRegion: config.aws.region,
    partition: config.aws.partition,
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    directory: await EmbeddedDirectory.fromFile(config.directoryFile),
    sessionTokens: makeSessionTokens(config.sessionSecret, config.sessionSeconds),
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
