/**
 * The composition root: the one place that turns configuration into the backend's parts. The
 * Lambda entries, the CLI, `npm start` and the integration tests all assemble through here, so
 * they cannot wire the same part two ways (the bucket prefix, the partition, the endpoints).
 */
import { readFile } from 'node:fs/promises';
import { makeCognitoSignIn, type CognitoSignIn } from './auth/cognito-sign-in.ts';
import type { Directory } from './auth/directory.ts';
import { EmbeddedDirectory } from './auth/embedded-directory.ts';
import { LdapDirectory } from './auth/ldap/ldap-directory.ts';
import { cachedText, secretsManagerText, ssmParameterText } from './auth/secret-values.ts';
import { loadedKeyRing, parseKeySet, staticKeyRing, type SessionKeyRing } from './auth/session-keys.ts';
import { bucketRevocations } from './auth/session-revocations.ts';
import { makeSessionTokens } from './auth/session-tokens.ts';
import { makeSessions } from './auth/sessions.ts';
import { makeSignInLimiter, type SignInLimiter } from './auth/sign-in-limiter.ts';
import type { ApiDeps } from './api/deps.ts';
import type { CallCounter } from './aws/call-counter.ts';
import {
  cognitoIssuer,
  cognitoJwksUrl,
  createCognitoIdentityClient,
  createOrganizationsClient,
  createS3Client,
  createSecretsManagerClient,
  createSsmClient,
  createStsClient,
  type AwsSettings,
} from './aws/clients.ts';
import { PolicyBucket } from './bucket/policy-bucket.ts';
import { S3ObjectStore } from './bucket/s3-object-store.ts';
import { makeWebIdentityBroker } from './broker/web-identity-broker.ts';
import type {
  ApiConfig,
  BucketConfig,
  CognitoPoolConfig,
  DirectoryConfig,
  LdapConfig,
  PlanConfig,
  ReconcilerConfig,
  SessionKeyConfig,
} from './config/config.ts';
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
  /** Replaces the default failure limiter (the sign-in benchmark measures without waits). */
  signInLimiter?: SignInLimiter;
  /** Replaces the time a refused sign-in is held to (default REFUSAL_MS). */
  refusalMs?: number;
}

/**
 * How long after its arrival a refused password sign-in is answered. Above what a directory takes to
 * refuse (the embedded one's scrypt is ~50 ms here, LDAP binds a few ms to tens of ms), so wrong
 * password and unknown user take the same time; a refusal slower than this (a slow directory) is
 * answered when it comes.
 */
export const REFUSAL_MS = 400;

export async function assembleApi(config: ApiConfig, extras: ApiExtras = {}): Promise<ApiDeps> {
  const logger = extras.logger ?? createLogger('switchyard-api', config.logLevel);
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  const bucket = assemblePolicyBucket(aws, config.policy);
  const directory = await assembleDirectory(config.signIn.directory, aws, logger);
  return {
    logger,
    defaultRegion: config.aws.region,
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    ...(directory ? { directory } : {}),
    ...(config.signIn.cognito ? { cognito: assembleCognito(config.signIn.cognito, aws) } : {}),
    sessions: makeSessions({
      tokens: makeSessionTokens(sessionKeyRing(config.signIn.sessionKey, aws), { accessSeconds: config.signIn.accessTokenSeconds }),
      revocations: bucketRevocations(bucket.store, config.policy.prefix),
      signInSeconds: config.signIn.sessionSeconds,
    }),
    signInLimiter: extras.signInLimiter ?? makeSignInLimiter(),
    refusalMs: extras.refusalMs ?? REFUSAL_MS,
    policy: makePublishedPolicySource({ bucket, maxAgeMs: config.policyCacheMs }),
    broker: makeWebIdentityBroker({
      cognitoIdentity: createCognitoIdentityClient(aws),
      sts: createStsClient(aws),
      identityPoolId: config.identityPoolId,
      developerProviderName: config.developerProvider,
      partition: config.aws.partition,
      federationEndpoint: config.federationEndpoint ?? federationEndpointFor(config.aws.partition),
      issuer: 'Switchyard',
      onIdentity: (pairing) => logger.info('web identity issued', pairing),
    }),
  };
}

// --- sign-in (issue 8) ---

async function assembleDirectory(config: DirectoryConfig, aws: AwsSettings, logger: AppLogger): Promise<Directory | undefined> {
  switch (config.kind) {
    case 'none':
      return undefined;
    case 'embedded':
      return EmbeddedDirectory.fromFile(config.file);
    case 'ldap':
      return assembleLdap(config.ldap, aws, logger);
  }
}

async function assembleLdap(config: LdapConfig, aws: AwsSettings, logger: AppLogger): Promise<LdapDirectory> {
  let ca: string | undefined;
  if (config.caFile) {
    try {
      ca = await readFile(config.caFile, 'utf8');
    } catch (error) {
      throw new Error(`SWITCHYARD_LDAP_CA_FILE ${config.caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`SWITCHYARD_LDAP_CA_FILE ${config.caFile} holds no PEM certificate`);
  }
  const plain = config.urls.filter((url) => url.startsWith('ldap://') && !config.startTls);
  if (plain.length > 0) {
    logger.warn('SWITCHYARD_LDAP_ALLOW_PLAIN is true: passwords cross the network to these directory servers unencrypted', { urls: plain });
  }
  const service = config.serviceAccount;
  return new LdapDirectory(
    {
      transport: { urls: config.urls, ...(ca !== undefined ? { ca } : {}), startTls: config.startTls, timeoutMs: config.timeoutMs },
      baseDn: config.baseDn,
      upnSuffixes: config.upnSuffixes,
      ...(config.netbiosDomain ? { netbiosDomain: config.netbiosDomain } : {}),
      groups: config.groups,
      ...(service
        ? {
            serviceAccount: {
              bindName: service.bindName,
              password: cachedText(secretsManagerText(createSecretsManagerClient(aws), service.passwordSecretArn)),
            },
          }
        : {}),
    },
    {
      unreachable: (url, reason) => logger.warn('directory server unreachable, trying the next', { url, reason }),
      problem: (problem) => logger.error('directory problem', { problem }),
    },
  );
}

function assembleCognito(config: CognitoPoolConfig, aws: AwsSettings): CognitoSignIn {
  return makeCognitoSignIn({
    userPoolId: config.userPoolId,
    clientIds: config.clientIds,
    domain: config.domain,
    scopes: config.scopes,
    issuer: cognitoIssuer(config.userPoolId),
    jwksUrl: cognitoJwksUrl(aws, config.userPoolId),
    timeoutMs: 5000,
  });
}

function sessionKeyRing(config: SessionKeyConfig, aws: AwsSettings): SessionKeyRing {
  switch (config.kind) {
    case 'secret':
      return staticKeyRing(config.secret);
    case 'secrets-manager': {
      const read = secretsManagerText(createSecretsManagerClient(aws), config.secretId);
      return loadedKeyRing(async () => parseKeySet(await read(), `SWITCHYARD_SESSION_KEY_SECRET_ARN (${config.secretId})`));
    }
    case 'ssm': {
      const read = ssmParameterText(createSsmClient(aws), config.parameter);
      return loadedKeyRing(async () => parseKeySet(await read(), `SWITCHYARD_SESSION_KEY_PARAMETER (${config.parameter})`));
    }
  }
}
