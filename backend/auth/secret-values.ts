/**
 * Reading a secret's text from AWS Secrets Manager or SSM Parameter Store (SecureString): the session
 * key set and the LDAP service account's password. Errors name the secret and what went wrong, never
 * its value; values are cached for a few minutes so a rotation reaches every instance soon.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export type SecretText = () => Promise<string>;

export function secretsManagerText(client: SecretsManagerClient, secretId: string): SecretText {
  return async () => {
    try {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (typeof answer.SecretString !== 'string') throw new Error('it holds no text (SecretString)');
      return answer.SecretString;
    } catch (error) {
      throw new Error(`cannot read Secrets Manager secret ${secretId}: ${reason(error)}`);
    }
  };
}

export function ssmParameterText(client: SSMClient, name: string): SecretText {
  return async () => {
    try {
      const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = answer.Parameter?.Value;
      if (typeof value !== 'string') throw new Error('it has no value');
      return value;
    } catch (error) {
      throw new Error(`cannot read SSM parameter ${name}: ${reason(error)}`);
    }
  };
}

/** Reads at most once per `maxAgeMs` (default 5 minutes); a failed read is not cached. */
export function cachedText(read: SecretText, maxAgeMs = 5 * 60_000, now: () => number = Date.now): SecretText {
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < maxAgeMs) return cached.value;
    const value = await read();
    cached = { value, at: now() };
    return value;
  };
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message : error.name;
  return 'unknown error';
}
