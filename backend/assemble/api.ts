/** The HTTP API's part of the composition root (see bucket.ts): the API Lambda and `npm start`. */
import type { Hono } from 'hono';
import { stateLastUseRecorder } from '../access/last-use.ts';
import { makeCliLoginCodes } from '../auth/cli-login-codes.ts';
import { userPoolAccounts } from '../auth/cognito-accounts.ts';
import { makeCognitoSignIn, type CognitoSignIn } from '../auth/cognito-sign-in.ts';
import type { Directory } from '../auth/directory.ts';
import { EmbeddedDirectory } from '../auth/embedded-directory.ts';
import { readLdapCaBundle } from '../auth/ldap/ca-bundle.ts';
import { LdapDirectory } from '../auth/ldap/ldap-directory.ts';
import { secretsManagerText, ssmParameterText } from '../auth/secret-values.ts';
import { loadedKeyRing, parseKeySet, staticKeyRing, type SessionKeyRing } from '../auth/session-keys.ts';
import { stateSessionFamilies } from '../auth/session-families.ts';
import { makeSessionTokens } from '../auth/session-tokens.ts';
import { makeSessions } from '../auth/sessions.ts';
import { addressFailures, stateSignInLimiter, type SignInLimiter } from '../auth/sign-in-limiter.ts';
import { makeApiApp } from '../api/app.ts';
import type { ApiDeps } from '../api/deps.ts';
import { webPageFolder } from '../api/web-page-folder.ts';
import type { AwsClientObserver } from '../aws/call-counter.ts';
import {
  cognitoIssuer,
  cognitoJwksUrl,
  createCognitoIdentityClient,
  createCognitoIdentityProviderClient,
  createDynamoDbClient,
  createS3Client,
  createSecretsManagerClient,
  createSsmClient,
  createStsClient,
  type AwsSettings,
} from '../aws/clients.ts';
import { S3MarkerStore } from '../bucket/s3-marker-store.ts';
import { PublishedPolicyReader } from '../bucket/published-policy-reader.ts';
import { S3ObjectReader } from '../bucket/s3-object-reader.ts';
import type { BrokerSteps } from '../broker/console-broker.ts';
import { makeWebIdentityBroker, makeWebIdentitySteps, type WebIdentityBrokerDeps } from '../broker/web-identity-broker.ts';
import type { ApiConfig, CognitoPoolConfig, DirectoryConfig, DoctorConfig, LdapConfig, SessionKeyConfig } from '../config/config.ts';
import { createLogger, type AppLogger } from '../logging.ts';
import { noMetrics, type Metrics } from '../metrics/metrics.ts';
import { makePublishedPolicySource } from '../api-policy/cached-policy-source.ts';
import { DynamoDbStateTable } from '../state/dynamodb-state-table.ts';
import { sessionNamePersonPart } from '../broker/session-name.ts';
import { directoryGroups } from '../elevation/current-groups.ts';
import { makeElevation } from '../elevation/elevation.ts';
import { assembleNotifiers } from './notifiers.ts';
import { elevationEvents } from '../elevation/notifications.ts';
import { bucketReconcileRequests, type ReconcileNow } from '../elevation/reconcile-now.ts';
import { RequestStore } from '../elevation/request-store.ts';
import { federationEndpointFor } from '../../shared/console/partitions.ts';

export interface ApiExtras {
  logger?: AppLogger;
  /** Where the API's metrics go (the Lambda: embedded metric format); default: nowhere. */
  metrics?: Metrics;
  /** Static credentials (the local stack's moto); production uses the Lambda role's. */
  credentials?: AwsSettings['credentials'];
  /** Sees every AWS client the API builds (tests record the exact inputs of each call; the benchmark counts them). */
  awsObserver?: AwsClientObserver;
  /** The federation endpoint's HTTP client (tests record the getSigninToken request). */
  fetch?: typeof fetch;
  /** Replaces the default failure limiter (the sign-in benchmark measures without waits). */
  signInLimiter?: SignInLimiter;
  /** Replaces the time a refused sign-in is held to (default REFUSAL_MS). */
  refusalMs?: number;
  /** The web page's built files (the Lambda: web/ beside its code; `npm start`: dist/web); absent: no page. */
  webPageDir?: string;
  /** Replaces how a revocation asks the reconciler to run (the local stack runs it in process). */
  reconcileNow?: ReconcileNow;
  /** Replaces the clock of elevation (tests of grants that end). */
  now?: () => number;
}

/**
 * How long after its arrival a refused password sign-in is answered. Above what a directory takes to
 * refuse (the embedded one's scrypt is ~50 ms here, LDAP binds a few ms to tens of ms), so wrong
 * password and unknown user take the same time; a refusal slower than this (a slow directory) is
 * answered when it comes.
 */
export const REFUSAL_MS = 400;

/** How long the LDAP service account's password is kept before it is read again: a rotation reaches every instance within it. */
const SECRET_MAX_AGE_SECONDS = 5 * 60;

export async function assembleApi(config: ApiConfig, extras: ApiExtras = {}): Promise<ApiDeps> {
  const logger = extras.logger ?? createLogger('switchyard-api', config.logLevel);
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  // The API reads the published policy; nothing else of the bucket. What it shares with other instances is in the state table.
  const s3 = createS3Client(aws);
  const bucket = new PublishedPolicyReader(new S3ObjectReader(s3, config.policy.bucket), config.policy.prefix);
  const state = new DynamoDbStateTable(createDynamoDbClient(aws), config.stateTable, extras.now ? { now: extras.now } : {});
  const directory = await assembleDirectory(config.signIn.directory, aws, logger);
  const keyRing = sessionKeyRing(config.signIn.sessionKey, aws);
  // Read once at start: a missing or malformed key stops the cold start with its name, not the first sign-in.
  await keyRing.current();
  const policy = makePublishedPolicySource({ bucket, maxAgeMs: config.policyCacheMs });
  const markers = new S3MarkerStore(s3, config.policy.bucket);
  return {
    logger,
    metrics: extras.metrics ?? noMetrics,
    defaultRegion: config.aws.region,
    partition: config.aws.partition,
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    ...(directory ? { directory } : {}),
    ...(config.signIn.cognito ? { cognito: assembleCognito(config.signIn.cognito, aws) } : {}),
    sessions: makeSessions({
      tokens: makeSessionTokens(keyRing, { accessSeconds: config.signIn.accessTokenSeconds }),
      families: stateSessionFamilies(state),
      signInSeconds: config.signIn.sessionSeconds,
      reuseGraceSeconds: config.signIn.refreshReuseGraceSeconds,
    }),
    signInLimiter: extras.signInLimiter ?? stateSignInLimiter(state, { address: addressFailures(config.signIn.addressFreeFailures) }),
    refusalMs: extras.refusalMs ?? REFUSAL_MS,
    policy,
    state,
    elevation: makeElevation({
      store: new RequestStore(state, config.elevation.retentionSeconds, extras.now),
      published: () => policy.current(),
      currentGroups: directoryGroups(directory),
      events: elevationEvents(logger, assembleNotifiers(config.elevation, aws)),
      sessionNameOf: sessionNamePersonPart,
      revoked: extras.reconcileNow ?? bucketReconcileRequests(markers, config.policy.prefix),
      ...(extras.now ? { now: extras.now } : {}),
    }),
    cliLoginCodes: makeCliLoginCodes(state),
    lastUse: stateLastUseRecorder(state, logger),
    broker: makeWebIdentityBroker({ ...brokerDeps(config, aws, extras), logger }),
    ...(extras.webPageDir ? { webPage: webPageFolder(extras.webPageDir) } : {}),
  };
}

/** The API's Hono app, assembled: what the Lambda handler serves and `npm start` serves on loopback. */
export async function assembleApiApp(config: ApiConfig, extras: ApiExtras = {}): Promise<Hono> {
  return makeApiApp(await assembleApi(config, extras));
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

// Sign-in: the directory (embedded, LDAP), a Cognito user pool, the session keys.

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
  const ca = config.caFile ? await readLdapCaBundle(config.caFile) : undefined;
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
              password: secretsManagerText(createSecretsManagerClient(aws), service.passwordSecretArn, SECRET_MAX_AGE_SECONDS),
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
    accounts: userPoolAccounts(createCognitoIdentityProviderClient(aws), config.userPoolId),
    clientIds: config.clientIds,
    domain: config.domain,
    scopes: config.scopes,
    issuer: cognitoIssuer(config.userPoolId),
    jwksUrl: cognitoJwksUrl(aws, config.userPoolId),
    timeoutMs: 5000,
  });
}

/**
 * Session keys are read uncached (maxAge 0): the key ring keeps the parsed set itself, because it also
 * reads again at once for a key id it does not know yet, which a time-based cache cannot do.
 */
function sessionKeyRing(config: SessionKeyConfig, aws: AwsSettings): SessionKeyRing {
  switch (config.kind) {
    case 'secret':
      return staticKeyRing(config.secret);
    case 'secrets-manager': {
      const read = secretsManagerText(createSecretsManagerClient(aws), config.secretId, 0);
      return loadedKeyRing(async () => parseKeySet(await read(), `SWITCHYARD_SESSION_KEY_SECRET_ARN (${config.secretId})`));
    }
    case 'ssm': {
      const read = ssmParameterText(createSsmClient(aws), config.parameter, 0);
      return loadedKeyRing(async () => parseKeySet(await read(), `SWITCHYARD_SESSION_KEY_PARAMETER (${config.parameter})`));
    }
  }
}
