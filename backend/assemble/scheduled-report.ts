/**
 * The access report Lambda's part of the composition root: the report's sources read-only (the
 * published policy through the S3 reader, the directory, the state table's last uses), the uploader
 * of its files, and the reports topic's notifier when one is configured.
 */
import type { AccessReportSources } from '../access/access-report.ts';
import { snsReportNotifier } from '../access/report-notice.ts';
import type { ScheduledReportDeps } from '../access/scheduled-report.ts';
import { createDynamoDbClient, createS3Client, createSnsClient, type AwsSettings } from '../aws/clients.ts';
import { bucketLayout } from '../bucket/layout.ts';
import { S3FileUploader } from '../bucket/s3-file-uploader.ts';
import { S3ObjectReader } from '../bucket/s3-object-reader.ts';
import type { ScheduledReportConfig } from '../config/config.ts';
import type { AppLogger } from '../logging.ts';
import { DynamoDbStateTable } from '../state/dynamodb-state-table.ts';
import { assembleGroupMembers } from './group-members.ts';

export const SCHEDULED_REPORT_UNUSED_DAYS = 90;

export function assembleScheduledReport(
  config: ScheduledReportConfig,
  extras: { logger: AppLogger; credentials?: AwsSettings['credentials']; scratchDir?: string },
): ScheduledReportDeps {
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  const s3 = createS3Client(aws);
  const reader = new S3ObjectReader(s3, config.policy.bucket);
  const layout = bucketLayout(config.policy.prefix);
  const sources = async (): Promise<AccessReportSources> => ({
    partition: config.aws.partition,
    location: `${reader.description}/${layout.publishedPolicy}`,
    historyLocation: `${reader.description}/${layout.publishedHistoryFolder}`,
    async publishedPolicy(generation) {
      const object = await reader.get(generation === undefined ? layout.publishedPolicy : layout.publishedHistory(generation));
      return object === undefined || object === 'not-modified' ? undefined : object.body;
    },
    members: await assembleGroupMembers(config, extras.credentials ? { credentials: extras.credentials } : {}),
    state: new DynamoDbStateTable(createDynamoDbClient(aws), config.stateTable),
  });
  return {
    sources,
    uploader: new S3FileUploader(s3, config.policy.bucket),
    layout,
    ...(config.reportsTopicArn ? { notify: snsReportNotifier(createSnsClient(aws), config.reportsTopicArn) } : {}),
    logger: extras.logger,
    unusedDays: SCHEDULED_REPORT_UNUSED_DAYS,
    ...(extras.scratchDir ? { scratchDir: extras.scratchDir } : {}),
  };
}
