/**
 * The composition root is this folder: one file per Lambda (api.ts, reconciler.ts) and this part
 * both use, so a bundle imports only what its own Lambda runs. Every entry (the Lambdas, the CLI,
 * `npm start`, the integration tests) assembles through here, so none can wire a part two ways
 * (the bucket prefix, the partition, the endpoints).
 */
import type { CallCounter } from '../aws/call-counter.ts';
import { createS3Client, type AwsSettings } from '../aws/clients.ts';
import { PolicyBucket } from '../bucket/policy-bucket.ts';
import { S3ObjectStore } from '../bucket/s3-object-store.ts';
import type { BucketConfig } from '../config/config.ts';

export function assemblePolicyBucket(aws: AwsSettings, policy: BucketConfig, callCounter?: CallCounter): PolicyBucket {
  const s3 = createS3Client(aws);
  callCounter?.attach(s3, 'management');
  return new PolicyBucket(new S3ObjectStore(s3, policy.bucket), policy.prefix);
}
