/**
 * Short-lived credentials for one person in one target role, without role chaining:
 * a Cognito developer-identity OpenID token tagged with the target, then
 * STS AssumeRoleWithWebIdentity on the target role.
 */
import { GetOpenIdTokenForDeveloperIdentityCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { roleArnFor, targetTagValue, TARGET_TAG_KEY, USER_TAG_KEY } from '../../shared/naming.ts';
import type { Partition } from '../../shared/console-urls.ts';
import type { ConsoleRequest } from './console-broker.ts';
import { BrokerError } from './console-broker.ts';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface WebIdentityCredentialsDeps {
  cognitoIdentity: CognitoIdentityClient;
  sts: STSClient;
  identityPoolId: string;
  developerProviderName: string;
  /** The deployment's partition: every role it opens lives there. */
  partition: Partition;
  /** Logs the Cognito identity id to person pairing, for CloudTrail correlation. */
  onIdentity?: (pairing: { identityId: string; userId: string; target: string }) => void;
}

/** The OpenID token only has to live until AssumeRoleWithWebIdentity uses it. */
const OPENID_TOKEN_SECONDS = 300;

export function makeWebIdentityCredentials(deps: WebIdentityCredentialsDeps) {
  return async function credentialsFor(request: ConsoleRequest): Promise<TemporaryCredentials> {
    const target = targetTagValue(request.accountId, request.permissionSet);
    const openId = await deps.cognitoIdentity
      .send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: deps.identityPoolId,
          Logins: { [deps.developerProviderName]: request.user.id },
          PrincipalTags: { [TARGET_TAG_KEY]: target, [USER_TAG_KEY]: request.user.id },
          TokenDuration: OPENID_TOKEN_SECONDS,
        }),
      )
      .catch((error: unknown) => {
        throw new BrokerError(`the identity pool refused a token (${errorName(error)})`);
      });
    if (!openId.Token || !openId.IdentityId) throw new BrokerError('the identity pool returned no token');
    deps.onIdentity?.({ identityId: openId.IdentityId, userId: request.user.id, target });

    const assumed = await deps.sts
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArnFor(request.accountId, request.permissionSet, deps.partition),
          RoleSessionName: roleSessionName(request.user.id),
          WebIdentityToken: openId.Token,
          DurationSeconds: request.sessionDurationSeconds,
        }),
      )
      .catch((error: unknown) => {
        throw new BrokerError(`AWS refused the role ${target} (${errorName(error)})`);
      });
    const credentials = assumed.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new BrokerError('STS returned no credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    };
  };
}

/** Role session names allow [\w+=,.@-], 2 to 64 characters; CloudTrail shows it as the person. */
export function roleSessionName(userId: string): string {
  const cleaned = userId.replace(/[^\w+=,.@-]/g, '_').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}__`.slice(0, 2);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
