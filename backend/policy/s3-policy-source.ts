/**
 * Every policy file in the bucket, as {path, content}: the whole desired state. Switchyard's own
 * objects (report, lock, published policy) live under `<prefix>_switchyard/` and are skipped.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { PolicyFile } from '../../shared/policy/problem.ts';

export const CONTROL_FOLDER = '_switchyard/';

export interface PolicyBucket {
  s3: S3Client;
  bucket: string;
  /** Folder of the policy files in the bucket ("" or ending in "/"). */
  prefix?: string;
}

export function controlKey(location: Pick<PolicyBucket, 'prefix'>, name: string): string {
  return `${location.prefix ?? ''}${CONTROL_FOLDER}${name}`;
}

/** True for keys the policy files do not include: Switchyard's own objects and folder markers. */
export function isControlKey(key: string, prefix = ''): boolean {
  return key.startsWith(`${prefix}${CONTROL_FOLDER}`) || key.endsWith('/');
}

export async function listPolicyKeys({ s3, bucket, prefix = '' }: PolicyBucket): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key && !isControlKey(object.Key, prefix)) keys.push(object.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Paths are relative to the prefix, with "/" separators, as the policy loader expects. */
export async function readPolicyFiles(location: PolicyBucket, concurrency = 8): Promise<PolicyFile[]> {
  const prefix = location.prefix ?? '';
  const limit = pLimit(concurrency);
  const keys = await listPolicyKeys(location);
  return Promise.all(
    keys.map((key) =>
      limit(async () => {
        const object = await location.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
        return { path: key.slice(prefix.length), content: (await object.Body?.transformToString('utf8')) ?? '' };
      }),
    ),
  );
}

export interface SyncResult {
  uploaded: string[];
  deleted: string[];
  unchanged: string[];
}

/**
 * Makes the bucket hold exactly these files (the bucket is the whole desired state): uploads new
 * and changed ones, deletes the ones no longer there; Switchyard's own objects are left alone.
 * Unchanged files (same MD5 ETag) are not rewritten, so they trigger no event.
 */
export async function syncPolicyFiles(location: PolicyBucket, files: PolicyFile[]): Promise<SyncResult> {
  const prefix = location.prefix ?? '';
  const existing = new Map<string, string | undefined>();
  let token: string | undefined;
  do {
    const page = await location.s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key && !isControlKey(object.Key, prefix)) existing.set(object.Key, object.ETag?.replace(/"/g, ''));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const result: SyncResult = { uploaded: [], deleted: [], unchanged: [] };
  for (const file of files) {
    const key = `${prefix}${file.path}`;
    if (isControlKey(key, prefix)) continue;
    if (existing.get(key) === createHash('md5').update(file.content, 'utf8').digest('hex')) {
      result.unchanged.push(file.path);
      continue;
    }
    await location.s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: file.content, ContentType: contentType(file.path) }));
    result.uploaded.push(file.path);
  }
  const wanted = new Set(files.map((file) => `${prefix}${file.path}`));
  for (const key of existing.keys()) {
    if (wanted.has(key)) continue;
    await location.s3.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: key }));
    result.deleted.push(key.slice(prefix.length));
  }
  return result;
}

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'application/yaml';
  return 'text/plain';
}
