/**
 * `switchyard access report [--format csv|jsonl|md] [--as-of GENERATION] [--out FILE] [--unused-days N]`: who can reach
 * which account and permission set, by which group, and when they last did (docs/access-review.md).
 * People come from the directory, not from past sign-ins. On a terminal, progress goes to stderr.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { REPORT_FORMATS, type ReportFormat } from '../../shared/access/report-format.ts';
import { errorText } from '../../shared/error-text.ts';
import { ReportInputError, writeAccessReport, type AccessReportSources } from '../access/access-report.ts';
import { assembleAccessReport } from '../assemble/access-report.ts';
import { GENERATION_ID_PATTERN, PUBLISHED_HISTORY_KEPT } from '../bucket/layout.ts';
import { accessReportConfig } from '../config/config.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, asUsageError, type CliIo, type Command } from './command.ts';

export const DEFAULT_UNUSED_DAYS = 90;

export interface AccessReportCommandOptions {
  sources?: (io: CliIo) => Promise<AccessReportSources>;
  now?: () => Date;
  /** Whether stderr is a terminal (progress is shown only there). */
  stderrIsTerminal?: boolean;
}

export function makeAccessReport(options: AccessReportCommandOptions = {}): Command {
  return {
    words: ['access', 'report'],
    usage: '[--format csv|jsonl|md] [--as-of GENERATION] [--out FILE] [--unused-days N]',
    summary: 'list who can reach which account and permission set, through which group, and when they last did',
    help: [
      '--format        csv (default), jsonl or md',
      '--as-of GEN     report on that past policy generation (default: the one published; the last',
      `                ${PUBLISHED_HISTORY_KEPT} published generations are kept)`,
      '--out FILE      write the report to FILE instead of stdout',
      `--unused-days N flag pairs not used in the last N days (default ${DEFAULT_UNUSED_DAYS})`,
      '',
      'Reads SWITCHYARD_POLICY_BUCKET (the published policy), SWITCHYARD_STATE_TABLE (last uses) and the directory',
      '(SWITCHYARD_DIRECTORY, SWITCHYARD_COGNITO_USER_POOL_ID). Exit codes: 0 written, 1 could not be made.',
    ].join('\n'),
    async run(args, io) {
      const values = parseOptions(args);
      const sources = await (options.sources ?? sourcesFromEnv)(io);
      const out = values.out === undefined ? undefined : createWriteStream(values.out, { flags: 'w', mode: 0o600 });
      const showProgress = options.stderrIsTerminal ?? process.stderr.isTTY;
      let lastShown = 0;
      try {
        const done = await writeAccessReport(sources, {
          outputs: [{ format: values.format, write: out ? (text) => writeTo(out, text) : async (text) => io.stdout(text) }],
          ...(values.asOf !== undefined ? { asOf: values.asOf } : {}),
          unusedDays: values.unusedDays,
          now: (options.now ?? (() => new Date()))(),
          progress: (people, rows) => {
            if (!showProgress || Date.now() - lastShown < 250) return;
            lastShown = Date.now();
            io.stderr(`\r${people} people read, ${rows} rows written`);
          },
        });
        if (out) await closeStream(out);
        if (showProgress || out) io.stderr(`${showProgress ? '\r' : ''}${done.people} people read, ${done.rows} rows written\n`);
        return EXIT_OK;
      } catch (error) {
        out?.destroy();
        if (error instanceof ReportInputError) {
          io.stderr(`access report: ${error.message}\n`);
          return EXIT_FAILED;
        }
        io.stderr(`access report: ${errorText(error)}\n`);
        return EXIT_FAILED;
      }
    },
  };
}

export const accessReport = makeAccessReport();

function parseOptions(args: string[]): { format: ReportFormat; asOf?: string; out?: string; unusedDays: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { format: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' }, 'unused-days': { type: 'string' } },
    });
  } catch (error) {
    throw asUsageError(error);
  }
  const format = parsed.values.format ?? 'csv';
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not ${format}`);
  const days = parsed.values['unused-days'] ?? String(DEFAULT_UNUSED_DAYS);
  if (!/^\d{1,5}$/.test(days)) throw new UsageError(`--unused-days must be a whole number of days, not ${days}`);
  const asOf = parsed.values['as-of'];
  if (asOf !== undefined && !GENERATION_ID_PATTERN.test(asOf))
    throw new UsageError(`--as-of must be a policy generation id such as 20261128T014233123Z-3f9a1c, not ${asOf}`);
  return {
    format: format as ReportFormat,
    ...(asOf !== undefined ? { asOf } : {}),
    ...(parsed.values.out !== undefined ? { out: parsed.values.out } : {}),
    unusedDays: Number(days),
  };
}

async function sourcesFromEnv(io: CliIo): Promise<AccessReportSources> {
  let config;
  try {
    config = accessReportConfig(io.env);
  } catch (error) {
    throw asUsageError(error);
  }
  return assembleAccessReport(config);
}

async function writeTo(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
