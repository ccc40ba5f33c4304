/**
 * Reading a secret's text from AWS Secrets Manager or SSM Parameter Store (SecureString), with
 * Powertools Parameters: the session key set and the LDAP service account's password. The provider
 * caches a value for `maxAgeSeconds` (0: every call reads; a failed read is never cached), so a
 * rotation reaches every instance within that time. Errors name the secret and AWS's error code,
 * never its value or AWS's message.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { errorName } from '../../shared/error-text.ts';

export type SecretText = () => Promise<string>;

export function secretsManagerText(client: SecretsManagerClient, secretId: string, maxAgeSeconds: number): SecretText {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async () => {
    const what = `Secrets Manager secret ${secretId}`;
    const value = await provider.get(secretId, { maxAge: maxAgeSeconds }).catch((error: unknown) => cannotRead(what, error));
    if (typeof value !== 'string') throw new Error(`cannot read ${what}: it holds no text (SecretString)`);
    return value;
  };
}

export function ssmParameterText(client: SSMClient, name: string, maxAgeSeconds: number): SecretText {
  const provider = new SSMProvider({ awsSdkV3Client: client });
  return async () => {
    const what = `SSM parameter ${name}`;
    const value = await provider.get(name, { decrypt: true, maxAge: maxAgeSeconds }).catch((error: unknown) => cannotRead(what, error));
    if (typeof value !== 'string') throw new Error(`cannot read ${what}: it has no value`);
    return value;
  };
}

/** Powertools wraps AWS's error in a GetParameterError; AWS's own code is the cause's name. */
function cannotRead(what: string, error: unknown): never {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  throw new Error(`cannot read ${what}: ${errorName(cause)}`);
}
