/**
 * Reaching a member account: STS AssumeRole of the reconciler's access role in that account, then
 * an IAM client with those temporary credentials. Credentials live only in memory. The clients
 * come from a factory the composition root builds (backend/assemble/reconciler.ts).
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Partition } from '../../shared/console/partitions.ts';
import { errorName, errorText } from '../../shared/error-text.ts';

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

/** The access role's temporary credentials in one member account: what its IAM client is built with (memberAccountIam). */
export interface AccountSession {
  accountId: string;
  credentials: AwsCredentialIdentity;
}

export async function iamClientForAccount(access: AccountAccess, accountId: string): Promise<IAMClient> {
  return memberAccountIam(access, await assumeAccessRole(access, accountId));
}

/**
 * AssumeRole of the access role in `accountId`. A run keeps these credentials, not the IAM client,
 * between reading an account and changing it: tens of thousands of idle clients would cost memory.
 */
export async function assumeAccessRole(access: AccountAccess, accountId: string): Promise<AccountSession> {
  const roleArn = accessRoleArn(accountId, access.accessRoleName, access.partition);
  try {
    // One STS client per account, so a call counter books each AssumeRole to its account.
    const response = await access.clients.sts(accountId).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
    return {
      accountId,
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
    };
  } catch (error) {
    throw new AccountAccessError(
      isAccessDenied(error)
        ? `account ${accountId}: the reconciler may not assume its access role ${roleArn} (${errorName(error)}). ` +
            `If the role is missing, ${DEPLOY_MEMBER_TEMPLATE} in account ${accountId}; ` +
            "if it is there, its trust policy must name the reconcile Lambda's role (docs/deploy.md)"
        : `account ${accountId}: cannot assume its access role ${roleArn}: ${errorText(error)}`,
    );
  }
}

/** IAM in the session's account, with the access role's credentials (AssumeRoleCommand above). */
export function memberAccountIam(access: AccountAccess, { accountId, credentials }: AccountSession): IAMClient {
  return access.clients.iam(accountId, credentials);
}

/**
 * What the first IAM call with the access role's credentials failed with, in words an admin can act on.
 * moto lets anyone assume a role that does not exist, and its IAM then answers those credentials with an
 * HTML error page that carries no AWS error code (the SDK can only call it an XML parse error): that
 * answer means the role is missing. Any other failure passes through as it is.
 */
export function accessRoleFailure(access: AccountAccess, accountId: string, error: unknown): unknown {
  const page = pageAnswerStatus(error);
  if (page === undefined) return error;
  const roleArn = accessRoleArn(accountId, access.accessRoleName, access.partition);
  return new AccountAccessError(
    `account ${accountId}: IAM does not accept the credentials of the access role ${roleArn} ` +
      `(it answered HTTP ${page} with a web page, not an AWS response): the role is probably missing; ` +
      `${DEPLOY_MEMBER_TEMPLATE} in account ${accountId}`,
  );
}

/** Written for the admin who reads the report: its message is the whole story, without the error's name. */
export class AccountAccessError extends Error {
  override name = 'AccountAccessError';
}

const DEPLOY_MEMBER_TEMPLATE = 'deploy the member template (backend/deploy/templates/member.yaml)';

function isAccessDenied(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AccessDenied' || error.name === 'AccessDeniedException');
}

/**
 * The HTTP status of an answer that was a web page without an AWS error code (the SDK names such an
 * error plain "Error"); undefined for anything else, such as AWS's own AccessDenied.
 */
function pageAnswerStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'Error') return undefined;
  const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string | undefined> } }).$response;
  const type = response?.headers?.['content-type'] ?? '';
  return response?.statusCode !== undefined && type.startsWith('text/html') ? response.statusCode : undefined;
}
