/**
 * The key that signs session tokens, read once at start from a Secrets Manager secret: base64 of at
 * least 32 bytes, like SWITCHYARD_SESSION_SECRET. The management template generates it as 64 random
 * letters and digits, which is base64 of 48 bytes. Deployed Lambdas never see it in their
 * environment; the value never reaches a log or an error message.
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
  const text = (secret ?? '').trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : new Uint8Array();
  if (key.byteLength < MIN_KEY_BYTES) throw new Error(`the session key in ${secretArn} is not base64 of at least ${MIN_KEY_BYTES} bytes`);
  return key;
}
