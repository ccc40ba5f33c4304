/**
 * Makes the bucket's policy files equal to the given ones: uploads new and changed files, deletes
 * files that are gone (the bucket content is the whole desired state). Switchyard's own objects
 * under `_switchyard/` are left alone.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { PolicyFile } from '../../shared/policy/problem.ts';
import { listPolicyKeys, type PolicyBucket } from './s3-policy-source.ts';

export interface PushResult {
  uploaded: string[];
  unchanged: string[];
  deleted: string[];
}

export async function pushPolicyFiles(location: PolicyBucket, files: readonly PolicyFile[], concurrency = 8): Promise<PushResult> {
  const prefix = location.prefix ?? '';
  const limit = pLimit(concurrency);
  const existing = new Set(await listPolicyKeys(location));
  const result: PushResult = { uploaded: [], unchanged: [], deleted: [] };

  await Promise.all(
    files.map((file) =>
      limit(async () => {
        const key = `${prefix}${file.path}`;
        const md5 = createHash('md5').update(file.content, 'utf8').digest('hex');
        if (existing.has(key) && (await etagOf(location, key)) === md5) {
          result.unchanged.push(file.path);
          return;
        }
        await location.s3.send(
          new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: file.content, ContentType: contentTypeOf(file.path) }),
        );
        result.uploaded.push(file.path);
      }),
    ),
  );

  const wanted = new Set(files.map((file) => `${prefix}${file.path}`));
  const stale = [...existing].filter((key) => !wanted.has(key));
  for (let start = 0; start < stale.length; start += 1000) {
    const batch = stale.slice(start, start + 1000);
    await location.s3.send(
      new DeleteObjectsCommand({ Bucket: location.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
  }
  result.deleted.push(...stale.map((key) => key.slice(prefix.length)));
  for (const list of Object.values(result)) list.sort();
  return result;
}

async function etagOf(location: PolicyBucket, key: string): Promise<string | undefined> {
  const head = await location.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: key }));
  return head.ETag?.replaceAll('"', '');
}

function contentTypeOf(path: string): string {
  return path.endsWith('.json') ? 'application/json' : 'application/yaml';
}
