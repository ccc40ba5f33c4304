/**
 * Reaching a member account: STS AssumeRole of the reconciler's access role in that account, then
 * an IAM client with those temporary credentials. Credentials live only in memory. The clients
 * come from a factory the composition root builds (backend/assemble/reconciler.ts).
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Partition } from '../../shared/console/partitions.ts';
import { errorText } from '../../shared/error-text.ts';

const SESSION_NAME = 'switchyard-reconciler';

/** The AWS clients a member account is reached with. */
export interface MemberAccountClients {
  /** STS with the reconciler's own (management account) credentials, its calls booked to `accountId`. */
  sts(accountId: string): STSClient;
  /** IAM in `accountId` with the access role's temporary credentials. */
  iam(accountId: string, credentials: AwsCredentialIdentity): IAMClient;
}

export interface AccountAccess {
  clients: MemberAccountClients;
  /** Role name, optionally with its path ("path/to/Name"), in every member account. */
  accessRoleName: string;
  partition: Partition;
}

export function accessRoleArn(accountId: string, accessRoleName: string, partition: Partition): string {
  return `arn:${partition}:iam::${accountId}:role/${accessRoleName.replace(/^\/+/, '')}`;
}

export async function iamClientForAccount(access: AccountAccess, accountId: string): Promise<IAMClient> {
  const roleArn = accessRoleArn(accountId, access.accessRoleName, access.partition);
  let credentials: AwsCredentialIdentity;
  try {
    // One STS client per account, so a call counter books each AssumeRole to its account.
    const response = await access.clients.sts(accountId).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
    credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  } catch (error) {
    throw new AccountAccessError(`cannot assume ${roleArn}: ${errorText(error)}`);
  }
  return access.clients.iam(accountId, credentials);
}

export class AccountAccessError extends Error {
  override name = 'AccountAccessError';
}
