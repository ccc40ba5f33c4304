/**
 * The policy as last applied by the reconciler, published as one JSON object in the policy bucket.
 * The API reads only this object: it needs no Organizations access, never sees a half-valid file
 * set, and lists an entitlement only once its role has been reconciled.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Policy } from '../../shared/policy/model.ts';
import type { PolicySource } from './policy-source.ts';

export const PUBLISHED_POLICY_KEY = '_switchyard/policy.json';

export interface PublishedPolicyLocation {
  s3: S3Client;
  bucket: string;
  key?: string;
}

export async function publishPolicy(location: PublishedPolicyLocation, policy: Policy): Promise<void> {
  await location.s3.send(
    new PutObjectCommand({
      Bucket: location.bucket,
      Key: location.key ?? PUBLISHED_POLICY_KEY,
      Body: JSON.stringify(policy),
      ContentType: 'application/json',
    }),
  );
}

/**
 * Reads the published policy, re-checking at most every `maxAgeMs` with a conditional GET
 * (an unchanged object costs a 304 and no parsing).
 */
export function makePublishedPolicySource(location: PublishedPolicyLocation & { maxAgeMs?: number; now?: () => number }): PolicySource {
  const maxAgeMs = location.maxAgeMs ?? 30_000;
  const now = location.now ?? Date.now;
  let cached: { policy: Policy; etag?: string; checkedAt: number } | undefined;

  async function fetchPolicy(): Promise<Policy> {
    try {
      const response = await location.s3.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: location.key ?? PUBLISHED_POLICY_KEY, IfNoneMatch: cached?.etag }),
      );
      const text = (await response.Body?.transformToString('utf8')) ?? '';
      const policy = JSON.parse(text) as Policy;
      cached = { policy, etag: response.ETag, checkedAt: now() };
      return policy;
    } catch (error) {
      if (cached && isNotModified(error)) {
        cached.checkedAt = now();
        return cached.policy;
      }
      if (isNoSuchKey(error)) throw new Error(`no policy has been published yet (s3://${location.bucket}/${location.key ?? PUBLISHED_POLICY_KEY}); push policy files first`);
      throw error;
    }
  }

  return {
    async current() {
      if (cached && now() - cached.checkedAt < maxAgeMs) return cached.policy;
      return fetchPolicy();
    },
  };
}

function isNotModified(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 304 || (error as Error).name === 'NotModified';
}

function isNoSuchKey(error: unknown): boolean {
  return (error as Error).name === 'NoSuchKey';
}
