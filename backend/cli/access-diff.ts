/**
 * `switchyard access diff OLD NEW`: what was added, removed and changed between two access reports
 * (docs/access-review.md, "Reading a diff"). Exit codes as diff(1): 0 the same, 2 differences, 1 an error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { diffReports, diffText, parseReport, ReportParseError } from '../../shared/access/report-diff.ts';
import { errorText } from '../../shared/error-text.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, asUsageError, type Command } from './command.ts';

export const EXIT_DIFFERENT = 2;

export const accessDiff: Command = {
  words: ['access', 'diff'],
  usage: 'OLD NEW',
  summary: 'show who gained, lost or changed access between two access reports (CSV or JSON Lines)',
  usageExitCode: EXIT_FAILED,
  async run(args, io) {
    let positionals: string[];
    try {
      positionals = parseArgs({ args, allowPositionals: true, strict: true, options: {} }).positionals;
    } catch (error) {
      throw asUsageError(error);
    }
    const [oldFile, newFile] = positionals;
    if (positionals.length !== 2 || oldFile === undefined || newFile === undefined)
      throw new UsageError(`two reports, OLD and NEW, got ${positionals.length}`);
    try {
      const before = parseReport(await readFile(oldFile, 'utf8'), oldFile);
      const after = parseReport(await readFile(newFile, 'utf8'), newFile);
      const diff = diffReports(before, after);
      io.stdout(diffText(diff, before, after));
      return diff.added.length + diff.removed.length + diff.changed.length === 0 ? EXIT_OK : EXIT_DIFFERENT;
    } catch (error) {
      io.stderr(`access diff: ${error instanceof ReportParseError ? error.message : errorText(error)}\n`);
      return EXIT_FAILED;
    }
  },
};
