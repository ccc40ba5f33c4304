/**
 * The credentials cache of `switchyard credentials`: the AWS CLI and the SDKs run a `credential_process`
 * on every call they make, so its answer is kept, one 0600 file per (API, account, permission set,
 * region), until a few minutes before the credentials expire. The file name is a hash of those four, so
 * the folder says nothing of what is in it. `switchyard login` and `logout` empty it. Light on purpose:
 * the bundled CLI answers from here before it loads anything else.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliPaths, readJsonFile, writePrivateFile, type CliEnvironment } from './home.ts';

/** Cached credentials are used until this long before they expire; then new ones are asked for. */
export const CACHE_MARGIN_MS = 5 * 60_000;

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601. */
  Expiration: string;
  Region: string;
}

export interface CredentialTarget {
  /** As the person named it: an account id or name. */
  account: string;
  permissionSet: string;
  region?: string;
}

export function cacheFileOf(env: CliEnvironment, api: string, target: CredentialTarget): string {
  const key = createHash('sha256')
    .update(JSON.stringify([api, target.account, target.permissionSet, target.region ?? '']))
    .digest('hex')
    .slice(0, 32);
  return join(cliPaths(env).credentialCache, `${key}.json`);
}

/** The cached credentials when they last beyond the margin; undefined otherwise. */
export function readCachedCredentials(file: string, now: number): IssuedCredentials | undefined {
  const cached = readJsonFile(file) as Partial<IssuedCredentials> | undefined;
  if (!cached || typeof cached !== 'object') return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, Region } = cached;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof SessionToken !== 'string') return undefined;
  if (typeof Expiration !== 'string' || typeof Region !== 'string') return undefined;
  const expires = Date.parse(Expiration);
  if (!Number.isFinite(expires) || expires - now <= CACHE_MARGIN_MS) return undefined;
  return { AccessKeyId, SecretAccessKey, SessionToken, Expiration, Region };
}

export function writeCachedCredentials(file: string, credentials: IssuedCredentials): void {
  writePrivateFile(file, `${JSON.stringify(credentials)}\n`);
}

export function clearCredentialCache(env: CliEnvironment): void {
  rmSync(cliPaths(env).credentialCache, { recursive: true, force: true });
}

/** What `credential_process` must print (the AWS CLI's and the SDKs' format, Version 1). */
export function credentialProcessOutput(credentials: IssuedCredentials): string {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials;
  return `${JSON.stringify({ Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration })}\n`;
}
