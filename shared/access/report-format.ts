/**
 * The access review written out: CSV (a comment line with the evidence first, then a header row),
 * JSON Lines (a header record first) or Markdown. Rows are written one at a time, so a report of any
 * size streams. The unknown groups follow the rows, in their own section.
 */
import type { AccessRow } from './report-rows.ts';

export const REPORT_FORMATS = ['csv', 'jsonl', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report's evidence: when it was made, from which policy and which directory. */
export interface ReportHeader {
  generatedAt: string;
  generation: string;
  policySha256: string;
  directory: string;
  unusedDays: number;
}

/** The columns, in order, with the field each one shows. */
export const REPORT_COLUMNS = [
  ['person_id', 'personId'],
  ['display_name', 'displayName'],
  ['email', 'email'],
  ['enabled', 'enabled'],
  ['group', 'group'],
  ['group_dn', 'groupDn'],
  ['membership', 'membership'],
  ['chain', 'chain'],
  ['account_id', 'accountId'],
  ['account_name', 'accountName'],
  ['ou_path', 'ouPath'],
  ['account_tags', 'accountTags'],
  ['permission_set', 'permissionSet'],
  ['role_arn', 'roleArn'],
  ['session_seconds', 'sessionSeconds'],
  ['managed_policy_arns', 'managedPolicyArns'],
  ['inline_policy_sha256', 'inlinePolicySha256'],
  ['permissions_boundary', 'permissionsBoundary'],
  ['kind', 'kind'],
  ['approval_rule', 'approvalRule'],
  ['last_console_use', 'lastConsoleUse'],
  ['last_cli_use', 'lastCliUse'],
  ['unused', 'unused'],
  ['reviewer', 'reviewer'],
  ['decision', 'decision'],
  ['comment', 'comment'],
] as const satisfies readonly (readonly [string, keyof AccessRow])[];

export interface ReportWriter {
  start(header: ReportHeader): string;
  row(row: AccessRow): string;
  end(unknownGroups: readonly string[]): string;
}

export function reportWriter(format: ReportFormat): ReportWriter {
  switch (format) {
    case 'csv':
      return {
        start: (header) => `# ${evidence(header)}\n${REPORT_COLUMNS.map(([name]) => name).join(',')}\n`,
        row: (row) => `${cells(row).map(csvCell).join(',')}\n`,
        end: (groups) => groups.map((group) => `# unknown group: ${oneLine(group)}\n`).join(''),
      };
    case 'jsonl':
      return {
        start: (header) => `${JSON.stringify({ type: 'header', ...header })}\n`,
        row: (row) => `${JSON.stringify({ type: 'row', ...row })}\n`,
        end: (groups) => groups.map((group) => `${JSON.stringify({ type: 'unknown-group', group })}\n`).join(''),
      };
    case 'md':
      return {
        start: (header) =>
          `# Access review\n\n${evidence(header)}\n\n| ${REPORT_COLUMNS.map(([name]) => name).join(' | ')} |\n|${REPORT_COLUMNS.map(() => '---').join('|')}|\n`,
        row: (row) => `| ${cells(row).map(markdownCell).join(' | ')} |\n`,
        end: (groups) =>
          `\n## Groups the directory does not know\n\n${groups.length === 0 ? 'None.\n' : groups.map((group) => `- ${markdownCell(group)}\n`).join('')}`,
      };
  }
}

/** A row's cells as text, in column order. */
export function cells(row: AccessRow): string[] {
  return REPORT_COLUMNS.map(([, field]) => (field === 'managedPolicyArns' ? row.managedPolicyArns.join(' ') : cellText(row[field])));
}

function cellText(value: AccessRow[keyof AccessRow]): string {
  if (Array.isArray(value)) return value.join(' > ');
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([key, tag]) => `${key}=${tag}`)
      .join('; ');
  return String(value);
}

function evidence(header: ReportHeader): string {
  return [
    `generated_at=${header.generatedAt}`,
    `generation=${header.generation}`,
    `policy_sha256=${header.policySha256}`,
    `directory=${oneLine(header.directory)}`,
    `unused_days=${header.unusedDays}`,
  ].join('; ');
}

/** RFC 4180, and a leading = + - @ is quoted with an apostrophe so a spreadsheet does not run it as a formula. */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function markdownCell(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
