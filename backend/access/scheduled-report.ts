/**
 * The scheduled access report: the same report as `switchyard access report`, made in one pass as CSV
 * and JSON Lines into the Lambda's scratch folder, uploaded to `_switchyard/reports/<date>.csv|.jsonl`
 * (backend/bucket/layout.ts), then announced (report-notice.ts). Making it is itself an audit record:
 * one structured log line saying who asked, when, and what was written, or why nothing was.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorText } from '../../shared/error-text.ts';
import type { BucketLayout } from '../bucket/layout.ts';
import type { FileUploader } from '../bucket/s3-file-uploader.ts';
import type { AppLogger } from '../logging.ts';
import { writeAccessReport, type AccessReportSources } from './access-report.ts';
import type { ReportNotice, ReportNotifier } from './report-notice.ts';

export interface ScheduledReportDeps {
  sources: () => Promise<AccessReportSources>;
  uploader: FileUploader;
  layout: Pick<BucketLayout, 'accessReportFile'>;
  /** Unset: no notice (no reports topic configured). */
  notify?: ReportNotifier;
  logger: AppLogger;
  unusedDays: number;
  /** Where the files are written before upload (default: the system's temporary folder, /tmp in Lambda). */
  scratchDir?: string;
}

export interface ReportTrigger {
  /** Who asked: "schedule <rule ARN>", or a manual invocation. */
  by: string;
  now: Date;
}

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson' } as const;

export async function makeScheduledReport(deps: ScheduledReportDeps, trigger: ReportTrigger): Promise<ReportNotice> {
  const date = trigger.now.toISOString().slice(0, 10);
  const keys = { csv: deps.layout.accessReportFile(date, 'csv'), jsonl: deps.layout.accessReportFile(date, 'jsonl') };
  const scratch = await mkdtemp(join(deps.scratchDir ?? tmpdir(), 'switchyard-access-report-'));
  try {
    const files = { csv: join(scratch, 'report.csv'), jsonl: join(scratch, 'report.jsonl') };
    const streams = { csv: createWriteStream(files.csv, { mode: 0o600 }), jsonl: createWriteStream(files.jsonl, { mode: 0o600 }) };
    let made;
    try {
      made = await writeAccessReport(await deps.sources(), {
        outputs: [
          { format: 'csv', write: (text) => writeTo(streams.csv, text) },
          { format: 'jsonl', write: (text) => writeTo(streams.jsonl, text) },
        ],
        unusedDays: deps.unusedDays,
        now: trigger.now,
      });
    } finally {
      await Promise.all([close(streams.csv), close(streams.jsonl)]);
    }
    for (const format of ['csv', 'jsonl'] as const) await deps.uploader.upload(keys[format], files[format], CONTENT_TYPES[format]);
    const notice: ReportNotice = {
      source: 'switchyard',
      type: 'access-report',
      at: made.header.generatedAt,
      bucket: deps.uploader.description,
      keys,
      generation: made.header.generation,
      policySha256: made.header.policySha256,
      directory: made.header.directory,
      people: made.people,
      rows: made.rows,
      unknownGroups: made.unknownGroups,
    };
    deps.logger.info('access report made', { audit: 'access-report', by: trigger.by, ...notice });
    if (deps.notify) {
      try {
        await deps.notify(notice);
      } catch (error) {
        // The files are written and audited; the failed invocation (and its retry, which overwrites the same keys) is what alerts.
        deps.logger.error('access report notice not sent', { keys, reason: errorText(error) });
        throw new NoticeNotSent(`the access report was written to ${keys.csv} and ${keys.jsonl}, but its notice was not sent: ${errorText(error)}`);
      }
    }
    return notice;
  } catch (error) {
    if (error instanceof NoticeNotSent) throw error;
    deps.logger.error('access report not made', {
      audit: 'access-report',
      by: trigger.by,
      at: trigger.now.toISOString(),
      keys,
      reason: errorText(error),
    });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

class NoticeNotSent extends Error {
  override readonly name = 'NoticeNotSent';
}

async function writeTo(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
