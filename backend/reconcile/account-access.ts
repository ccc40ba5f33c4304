/**
 * Reaching a member account: STS AssumeRole of the reconciler's access role in that account, then
 * an IAM client with those temporary credentials. Credentials live only in memory.
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createIamClient, createStsClient, type AwsSettings } from '../aws/clients.ts';
import type { CallCounter } from '../aws/call-counter.ts';

export const DEFAULT_ACCESS_ROLE_NAME = 'SwitchyardReconcilerAccess';
const SESSION_NAME = 'switchyard-reconciler';

export interface AccountAccess {
  /** Settings of the reconciler's own (management account) credentials. */
  settings: AwsSettings;
  /** Role name, optionally with its path ("path/to/Name"), in every member account. */
  accessRoleName: string;
  partition?: string;
  callCounter?: CallCounter;
}

export function accessRoleArn(accountId: string, accessRoleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${accessRoleName.replace(/^\/+/, '')}`;
}

export async function iamClientForAccount(access: AccountAccess, accountId: string): Promise<IAMClient> {
  const roleArn = accessRoleArn(accountId, access.accessRoleName, access.partition);
  let credentials: AwsCredentialIdentity;
  try {
    // One STS client per account, so a call counter books each AssumeRole to its account.
    const sts = access.callCounter ? access.callCounter.attach(createStsClient(access.settings), accountId) : createStsClient(access.settings);
    const response = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
    credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  } catch (error) {
    throw new AccountAccessError(`cannot assume ${roleArn}: ${errorMessage(error)}`);
  }
  const iam = createIamClient(access.settings, credentials);
  access.callCounter?.attach(iam, accountId);
  return iam;
}

export class AccountAccessError extends Error {
  override name = 'AccountAccessError';
}

/** "Name: message" of an SDK error, without request details (which never hold secrets, but are noise). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
