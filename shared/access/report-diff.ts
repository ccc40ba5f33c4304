/**
 * `switchyard access diff OLD NEW`: what was added, removed and changed between two access reports
 * (CSV or JSON Lines, as `access report` writes them). A row is one (person, account, permission set,
 * group, directory group); changed means another column differs, apart from the reviewer's columns and
 * the last-use columns, which move with every click.
 */
import { cells, REPORT_COLUMNS } from './report-format.ts';
import type { AccessRow } from './report-rows.ts';

export type ReportCells = Record<string, string>;

export interface ParsedReport {
  /** The evidence line or record, as written. */
  evidence: string;
  rows: Map<string, ReportCells>;
}

export interface ReportChange {
  key: string;
  row: ReportCells;
  columns: { column: string; before: string; after: string }[];
}

export interface ReportDiff {
  added: ReportCells[];
  removed: ReportCells[];
  changed: ReportChange[];
}

const KEY_COLUMNS = ['person_id', 'account_id', 'permission_set', 'group', 'group_dn'];
const IGNORED = new Set(['reviewer', 'decision', 'comment', 'last_console_use', 'last_cli_use', 'unused']);
const NAMES: readonly string[] = REPORT_COLUMNS.map(([name]) => name);

export class ReportParseError extends Error {}

/** Reads a report written by `access report` (CSV or JSON Lines); `name` is the file, for messages. */
export function parseReport(text: string, name: string): ParsedReport {
  return text.trimStart().startsWith('{') ? parseJsonLines(text, name) : parseCsv(text, name);
}

export function diffReports(before: ParsedReport, after: ParsedReport): ReportDiff {
  const added = [...after.rows].filter(([key]) => !before.rows.has(key)).map(([, row]) => row);
  const removed = [...before.rows].filter(([key]) => !after.rows.has(key)).map(([, row]) => row);
  const changed: ReportChange[] = [];
  for (const [key, row] of after.rows) {
    const old = before.rows.get(key);
    if (!old) continue;
    const columns = NAMES.filter((column) => !IGNORED.has(column) && (old[column] ?? '') !== (row[column] ?? '')).map((column) => ({
      column,
      before: old[column] ?? '',
      after: row[column] ?? '',
    }));
    if (columns.length > 0) changed.push({ key, row, columns });
  }
  return { added, removed, changed };
}

export function diffText(diff: ReportDiff, before: ParsedReport, after: ParsedReport): string {
  const name = (row: ReportCells) =>
    `${row.person_id} ${row.account_id} (${row.account_name}) ${row.permission_set} via ${row.group}${row.group_dn && row.group_dn !== row.group ? ` (${row.group_dn})` : ''}`;
  const lines = [
    `old: ${before.evidence}`,
    `new: ${after.evidence}`,
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
    ...diff.removed.map((row) => `- ${name(row)}`),
    ...diff.added.map((row) => `+ ${name(row)}`),
    ...diff.changed.flatMap((change) => [`~ ${name(change.row)}`, ...change.columns.map((c) => `    ${c.column}: ${c.before} -> ${c.after}`)]),
  ];
  return `${lines.join('\n')}\n`;
}

function keyOf(row: ReportCells): string {
  return JSON.stringify(KEY_COLUMNS.map((column) => row[column] ?? ''));
}

function parseJsonLines(text: string, name: string): ParsedReport {
  let evidence = '';
  const rows = new Map<string, ReportCells>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let record: { type?: unknown } & Record<string, unknown>;
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new ReportParseError(`${name} line ${index + 1}: not JSON`);
    }
    if (record.type === 'header') evidence = line;
    if (record.type !== 'row') return;
    const missing = REPORT_COLUMNS.find(([, field]) => record[field] === undefined || record[field] === null);
    if (missing) throw new ReportParseError(`${name} line ${index + 1}: a row without ${missing[1]}`);
    const row = Object.fromEntries(NAMES.map((column, i) => [column, cells(record as unknown as AccessRow)[i] ?? '']));
    rows.set(keyOf(row), row);
  });
  if (!evidence) throw new ReportParseError(`${name}: no header record; is it an access report?`);
  return { evidence, rows };
}

function parseCsv(text: string, name: string): ParsedReport {
  const records = csvRecords(text, name);
  const evidenceLine = records.find((record) => record.line === 1 && record.comment);
  if (!evidenceLine) throw new ReportParseError(`${name} line 1: no evidence line (# generated_at=...); is it an access report?`);
  const data = records.filter((record) => !record.comment);
  const [header, ...body] = data;
  if (!header || header.cells.join(',') !== NAMES.join(','))
    throw new ReportParseError(`${name} line ${header?.line ?? 2}: the columns are not an access report's (${NAMES.slice(0, 3).join(', ')}, ...)`);
  const rows = new Map<string, ReportCells>();
  for (const record of body) {
    if (record.cells.length !== NAMES.length)
      throw new ReportParseError(`${name} line ${record.line}: ${record.cells.length} cells, expected ${NAMES.length}`);
    const row = Object.fromEntries(NAMES.map((column, i) => [column, record.cells[i] ?? '']));
    rows.set(keyOf(row), row);
  }
  return { evidence: evidenceLine.cells[0] ?? '', rows };
}

/** RFC 4180 records; a line starting with `#` is a comment (the evidence, the unknown groups). */
function csvRecords(text: string, name: string): { line: number; comment: boolean; cells: string[] }[] {
  const records: { line: number; comment: boolean; cells: string[] }[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const start = line;
    if (text[index] === '#') {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      records.push({ line: start, comment: true, cells: [text.slice(index + 1, stop).trim()] });
      index = stop + 1;
      line++;
      continue;
    }
    const cells: string[] = [];
    let cell = '';
    for (;;) {
      if (text[index] === '"') {
        index++;
        for (;;) {
          if (index >= text.length) throw new ReportParseError(`${name} line ${start}: a quoted cell is not closed`);
          if (text[index] === '"' && text[index + 1] === '"') {
            cell += '"';
            index += 2;
          } else if (text[index] === '"') {
            index++;
            break;
          } else {
            if (text[index] === '\n') line++;
            cell += text[index++];
          }
        }
      }
      while (index < text.length && text[index] !== ',' && text[index] !== '\n') cell += text[index++];
      cells.push(cell.replace(/\r$/, '').replace(/^'(?=[=+\-@\t\r])/, ''));
      cell = '';
      if (text[index] === ',') {
        index++;
        continue;
      }
      index++;
      line++;
      break;
    }
    records.push({ line: start, comment: false, cells });
  }
  return records;
}
