/**
 * The scheduled access report's notice (docs/access-review.md, "Scheduled"): where the files are and
 * how much they hold, published to the reports topic. It never carries a row: the report is read where
 * the policy bucket's own controls apply.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface ReportNotice {
  source: 'switchyard';
  type: 'access-report';
  /** When the report was made. */
  at: string;
  bucket: string;
  keys: { csv: string; jsonl: string };
  generation: string;
  policySha256: string;
  directory: string;
  people: number;
  rows: number;
  unknownGroups: number;
}

export type ReportNotifier = (notice: ReportNotice) => Promise<void>;

export function snsReportNotifier(client: SNSClient, topicArn: string): ReportNotifier {
  return async (notice) => {
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: `Switchyard access report ${notice.at.slice(0, 10)}`,
        Message: JSON.stringify(notice),
        MessageAttributes: { type: { DataType: 'String', StringValue: notice.type } },
      }),
    );
  };
}
