/**
 * The access review's sources assembled from the configuration: the published policy's bytes (the
 * report hashes them as evidence), the directory's groups (group-members port) and the state table's
 * last uses. `switchyard access report` uses it.
 */
import type { AccessReportSources } from '../access/access-report.ts';
import { createDynamoDbClient, createS3Client, type AwsSettings } from '../aws/clients.ts';
import { bucketLayout } from '../bucket/layout.ts';
import { S3ObjectReader } from '../bucket/s3-object-reader.ts';
import type { AccessReportConfig } from '../config/config.ts';
import { DynamoDbStateTable } from '../state/dynamodb-state-table.ts';
import { assembleGroupMembers } from './group-members.ts';

export async function assembleAccessReport(
  config: AccessReportConfig,
  extras: { credentials?: AwsSettings['credentials'] } = {},
): Promise<AccessReportSources> {
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  const reader = new S3ObjectReader(createS3Client(aws), config.policy.bucket);
  const key = bucketLayout(config.policy.prefix).publishedPolicy;
  return {
    partition: config.aws.partition,
    location: `${reader.description}/${key}`,
    async publishedPolicy() {
      const object = await reader.get(key);
      return object === undefined || object === 'not-modified' ? undefined : object.body;
    },
    members: await assembleGroupMembers(config, extras),
    state: new DynamoDbStateTable(createDynamoDbClient(aws), config.stateTable),
  };
}
