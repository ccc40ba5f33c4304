/**
 * The key that signs session tokens, read once at start from the Secrets Manager secret the
 * management template generates (a random string of 64 letters and digits). Deployed Lambdas never
 * see it in their environment. The value never reaches a log or an error message.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** HS256 wants a key at least as long as its hash. */
const MIN_KEY_BYTES = 32;

export async function readSessionKey(client: SecretsManagerClient, secretArn: string): Promise<Uint8Array> {
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    throw new Error(`cannot read the session key from ${secretArn}: ${error instanceof Error ? error.name : 'unknown error'}`);
  }
  const key = new TextEncoder().encode(secret ?? '');
  if (key.byteLength < MIN_KEY_BYTES) throw new Error(`the session key in ${secretArn} is shorter than ${MIN_KEY_BYTES} bytes`);
  return key;
}
