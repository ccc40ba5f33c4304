/**
 * The access review's sources assembled from the configuration: the published policy's bytes (the
 * report hashes them as evidence), the directory's groups (group-members port) and the state table's
 * last uses. `switchyard access report` uses it.
 */
import type { AccessReportSources } from '../access/access-report.ts';
import { createDynamoDbClient, type AwsSettings } from '../aws/clients.ts';
import type { AccessReportConfig } from '../config/config.ts';
import { DynamoDbStateTable } from '../state/dynamodb-state-table.ts';
import { assemblePolicyBucket } from './bucket.ts';
import { assembleGroupMembers } from './group-members.ts';

export async function assembleAccessReport(
  config: AccessReportConfig,
  extras: { credentials?: AwsSettings['credentials'] } = {},
): Promise<AccessReportSources> {
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  const bucket = assemblePolicyBucket(aws, config.policy);
  return {
    partition: config.aws.partition,
    location: `${bucket.store.description}/${bucket.layout.publishedPolicy}`,
    historyLocation: `${bucket.store.description}/${bucket.layout.publishedHistoryFolder}`,
    publishedPolicy: (generation) => bucket.readPublicationBytes(generation),
    publishedGenerations: () => bucket.publishedGenerations(),
    members: await assembleGroupMembers(config, extras),
    state: new DynamoDbStateTable(createDynamoDbClient(aws), config.stateTable),
  };
}
