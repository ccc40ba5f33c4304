/**
 * Lambda entry of the HTTP API (API Gateway HTTP API, payload 2.0). All logic is in
 * makeApiHandler; this file only wires production dependencies from the environment.
 *
 * Environment:
 *   SWITCHYARD_POLICY_BUCKET        bucket holding the policy files and the published policy
 *   SWITCHYARD_SESSION_SECRET       base64, >= 32 bytes, signs session tokens
 *   SWITCHYARD_SESSION_SECONDS      session token lifetime (default 8 h)
 *   SWITCHYARD_IDENTITY_POOL_ID     Cognito identity pool with developer-authenticated identities
 *   SWITCHYARD_DEVELOPER_PROVIDER   the pool's developer provider name
 *   SWITCHYARD_DIRECTORY_FILE       embedded directory file (LDAP and Cognito sign-in come with their issue)
 *   SWITCHYARD_FEDERATION_ENDPOINT  optional override of the partition's federation endpoint
 *   SWITCHYARD_ALLOWED_ORIGINS      comma-separated extension origins (default: any extension origin)
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeApiHandler } from '../api/make-api-handler.ts';
import { EmbeddedDirectory } from '../auth/embedded-directory.ts';
import { makeSessionTokens } from '../auth/session-tokens.ts';
import { awsSettingsFromEnv, createCognitoIdentityClient, createS3Client, createStsClient } from '../aws/clients.ts';
import { makeWebIdentityBroker } from '../broker/web-identity-broker.ts';
import { numberEnv, requiredEnv } from '../config/env.ts';
import { EXTENSION_ORIGINS } from '../http/cors.ts';
import { createLogger } from '../logging.ts';
import { makePublishedPolicySource } from '../policy/published-policy.ts';
import { federationEndpointFor, partitionOfRegion } from '../../shared/console-urls.ts';

async function productionHandler(env: NodeJS.ProcessEnv) {
  const logger = createLogger('switchyard-api');
  const settings = awsSettingsFromEnv(env);
  const origins = env.SWITCHYARD_ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean);
  return makeApiHandler({
    logger,
    defaultRegion: settings.region,
    cors: origins?.length ? { allowedOrigins: origins } : EXTENSION_ORIGINS,
    directory: await EmbeddedDirectory.fromFile(requiredEnv(env, 'SWITCHYARD_DIRECTORY_FILE')),
    sessionTokens: makeSessionTokens(
      Buffer.from(requiredEnv(env, 'SWITCHYARD_SESSION_SECRET'), 'base64'),
      numberEnv(env, 'SWITCHYARD_SESSION_SECONDS', 8 * 3600),
    ),
    policy: makePublishedPolicySource({ s3: createS3Client(settings), bucket: requiredEnv(env, 'SWITCHYARD_POLICY_BUCKET') }),
    broker: makeWebIdentityBroker({
      cognitoIdentity: createCognitoIdentityClient(settings),
      sts: createStsClient(settings),
      identityPoolId: requiredEnv(env, 'SWITCHYARD_IDENTITY_POOL_ID'),
      developerProviderName: requiredEnv(env, 'SWITCHYARD_DEVELOPER_PROVIDER'),
      federationEndpoint: env.SWITCHYARD_FEDERATION_ENDPOINT || federationEndpointFor(partitionOfRegion(settings.region)),
      issuer: 'Switchyard',
      onIdentity: (pairing) => logger.info('web identity issued', pairing),
    }),
  });
}

let handlerPromise: ReturnType<typeof productionHandler> | undefined;

export async function handler(event: APIGatewayProxyEventV2) {
  handlerPromise ??= productionHandler(process.env);
  return (await handlerPromise)(event);
}
