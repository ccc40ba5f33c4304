/**
 * The one place that builds AWS SDK clients. Endpoint, region, retries and credentials come from
 * `AwsSettings`, so production (Lambda role, real endpoints) and local (moto on loopback) differ
 * only in settings.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { partitionOfRegion } from '../../shared/console/partitions.ts';

// The SDK is pinned (package.json) to releases that still run on Node 20, where tests and the local
// stack run; Lambda runs Node 22. Its warning about later releases is noise wherever a client is built.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface AwsSettings {
  region: string;
  /** Override for every service (moto in local mode and tests). Unset in production. */
  endpoint?: string;
  /** Unset in production: the SDK's default chain (the Lambda's role) applies. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, including the first; throttling errors are retried with backoff. */
  maxAttempts: number;
  /** Connections shared by every client built with these settings (createSharedConnections); unset: each client has its own. */
  connections?: SharedConnections;
}

/**
 * Keep-alive connections for many clients of the same endpoints, such as one IAM and one STS client per
 * member account: without them every client opens connections of its own and keeps them open while idle,
 * two per account, past Lambda's 1,024 open files within a few thousand accounts (`npm run bench --
 * reconcile --simulated`), and each costs a TLS handshake.
 */
export interface SharedConnections {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

/** At most `maxSockets` connections per endpoint, kept open for the next request. */
export function createSharedConnections(maxSockets: number): SharedConnections {
  return { httpAgent: new HttpAgent({ keepAlive: true, maxSockets }), httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }) };
}

function common(settings: AwsSettings, credentials?: AwsCredentialIdentity) {
  return {
    region: settings.region,
    endpoint: settings.endpoint,
    credentials: credentials ?? settings.credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard' as const,
    ...(settings.connections ? { requestHandler: { httpAgent: settings.connections.httpAgent, httpsAgent: settings.connections.httpsAgent } } : {}),
  };
}

export function createStsClient(settings: AwsSettings, credentials?: AwsCredentialIdentity): STSClient {
  return new STSClient(common(settings, credentials));
}

export function createIamClient(settings: AwsSettings, credentials?: AwsCredentialIdentity): IAMClient {
  return new IAMClient(common(settings, credentials));
}

export function createS3Client(settings: AwsSettings, credentials?: AwsCredentialIdentity): S3Client {
  // Path-style only when an endpoint override is set: moto needs it, AWS prefers virtual hosts.
  return new S3Client({ ...common(settings, credentials), forcePathStyle: settings.endpoint !== undefined });
}

export function createDynamoDbClient(settings: AwsSettings): DynamoDBClient {
  return new DynamoDBClient(common(settings));
}

export function createOrganizationsClient(settings: AwsSettings, credentials?: AwsCredentialIdentity): OrganizationsClient {
  return new OrganizationsClient(common(settings, credentials));
}

export function createCognitoIdentityClient(settings: AwsSettings, credentials?: AwsCredentialIdentity): CognitoIdentityClient {
  return new CognitoIdentityClient(common(settings, credentials));
}

/** A user pool's own API: its groups and their users (`policy plan --people`), and a signed-in person's account at each refresh (AdminGetUser). */
export function createCognitoIdentityProviderClient(settings: AwsSettings): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(common(settings));
}

/** Elevation's notifications: the requests topic. */
export function createSnsClient(settings: AwsSettings): SNSClient {
  return new SNSClient(common(settings));
}

/** The reconcile's queue of account batches (backend/reconcile/batch-queue.ts). */
export function createSqsClient(settings: AwsSettings): SQSClient {
  return new SQSClient(common(settings));
}

// Sign-in: session keys and the LDAP service account's password, a user pool's public keys.

export function createSecretsManagerClient(settings: AwsSettings): SecretsManagerClient {
  return new SecretsManagerClient(common(settings));
}

export function createSsmClient(settings: AwsSettings): SSMClient {
  return new SSMClient(common(settings));
}

/** The `iss` of a user pool's tokens. Pool ids start with their region ("eu-west-1_AbC123"). */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolId.slice(0, userPoolId.indexOf('_'));
  const domain = partitionOfRegion(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${domain}/${userPoolId}`;
}

/**
 * Where a user pool publishes its signing keys: the issuer's /.well-known/jwks.json, or, with an
 * endpoint override (moto locally), the same path on that endpoint. The issuer checked in tokens stays
 * the real one either way.
 */
export function cognitoJwksUrl(settings: AwsSettings, userPoolId: string): string {
  const base = settings.endpoint ? `${settings.endpoint.replace(/\/+$/, '')}/${userPoolId}` : cognitoIssuer(userPoolId);
  return `${base}/.well-known/jwks.json`;
}
