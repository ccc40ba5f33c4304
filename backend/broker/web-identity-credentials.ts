/**
 * Short-lived credentials for one person in one target role, without role chaining: a Cognito
 * developer-identity OpenID token tagged with the target (GetOpenIdTokenForDeveloperIdentity), then STS
 * AssumeRoleWithWebIdentity on the target role. The `switchyard:target` principal tag is what binds the
 * token to that one role: every managed role's trust policy requires it to name the role itself.
 */
import { GetOpenIdTokenForDeveloperIdentityCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { roleArnFor, roleNameFor, targetTagValue, TARGET_TAG_KEY, USER_TAG_KEY } from '../../shared/naming.ts';
import type { Partition } from '../../shared/console/partitions.ts';
import { BrokerError, type BrokerTarget, type ExpiringCredentials, type MintedToken } from './console-broker.ts';
import { userTagValue } from './session-name.ts';
import { errorName } from '../../shared/error-text.ts';

export interface WebIdentityCredentialsDeps {
  cognitoIdentity: CognitoIdentityClient;
  sts: STSClient;
  identityPoolId: string;
  developerProviderName: string;
  /** The deployment's partition: every role it opens lives there. */
  partition: Partition;
}

/** The OpenID token only has to live until AssumeRoleWithWebIdentity uses it. */
export const OPENID_TOKEN_SECONDS = 300;

export function makeWebIdentityCredentials(deps: WebIdentityCredentialsDeps) {
  async function mintToken(target: BrokerTarget, userId: string): Promise<MintedToken> {
    const answer = await deps.cognitoIdentity
      .send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: deps.identityPoolId,
          Logins: { [deps.developerProviderName]: userId },
          PrincipalTags: { [TARGET_TAG_KEY]: targetTagValue(target.accountId, target.permissionSet), [USER_TAG_KEY]: userTagValue(userId).value },
          TokenDuration: OPENID_TOKEN_SECONDS,
        }),
      )
      .catch((error: unknown) => {
        throw new BrokerError('identity', `the identity pool refused a token (${errorName(error)})`, awsCode(error));
      });
    if (!answer.Token || !answer.IdentityId) throw new BrokerError('identity', 'the identity pool returned no token');
    return { token: answer.Token, subject: answer.IdentityId };
  }

  async function assumeRole(
    target: BrokerTarget,
    token: MintedToken,
    options: { sessionName: string; durationSeconds: number },
  ): Promise<ExpiringCredentials> {
    const assumed = await deps.sts
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArnFor(target.accountId, target.permissionSet, deps.partition),
          RoleSessionName: options.sessionName,
          WebIdentityToken: token.token,
          DurationSeconds: options.durationSeconds,
        }),
      )
      .catch((error: unknown) => {
        const code = awsCode(error);
        const hint =
          code === 'AccessDenied'
            ? ': its trust policy may have been changed outside Switchyard, or the role deleted; the next reconcile repairs it'
            : '';
        throw new BrokerError(
          'sts',
          `AWS refused ${roleNameFor(target.permissionSet)} in account ${target.accountId} (${errorName(error)})${hint}`,
          code,
        );
      });
    const credentials = assumed.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new BrokerError('sts', 'STS returned no credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  }

  return { mintToken, assumeRole, roleArn: (target: BrokerTarget) => roleArnFor(target.accountId, target.permissionSet, deps.partition) };
}

/** AWS's error code: an SDK error's name (AccessDenied, ThrottlingException, ...). */
function awsCode(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
