import { describe, expect, it } from 'vitest';
import { diffReports, diffText, parseReport, ReportParseError } from './report-diff.ts';
import { reportWriter, type ReportFormat } from './report-format.ts';
import type { AccessRow } from './report-rows.ts';
import { accessRow } from '../../test/fixtures/access-row.ts';

const base = accessRow({ displayName: 'Eve, "the" admin' });

function written(format: ReportFormat, rows: AccessRow[], generation: string): string {
  const writer = reportWriter(format);
  const header = { generatedAt: '2026-12-06T00:00:00.000Z', generation, policySha256: 'a'.repeat(64), directory: 'LDAP', unusedDays: 90 };
  return writer.start(header) + rows.map((row) => writer.row(row)).join('') + writer.end(['Ghost']);
}

describe('access diff', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    it(`reads ${format} back and names what was added, removed and changed, ignoring last use and the reviewer's columns`, () => {
      const bob = { ...base, personId: 'bob@corp.example.com', displayName: '=cmd' };
      const frank = { ...base, personId: 'frank@corp.example.com' };
      const before = parseReport(written(format, [base, bob], 'g1'), 'old');
      const after = parseReport(
        written(format, [{ ...base, sessionSeconds: 7200, lastConsoleUse: '2026-12-01T00:00:00.000Z', unused: false, reviewer: 'ann' }, frank], 'g2'),
        'new',
      );
      expect(before.rows.get([...before.rows.keys()][1] ?? '')?.display_name).toBe('=cmd');
      const diff = diffReports(before, after);
      expect(diff.removed.map((row) => row.person_id)).toEqual(['bob@corp.example.com']);
      expect(diff.added.map((row) => row.person_id)).toEqual(['frank@corp.example.com']);
      expect(diff.changed.map((change) => change.columns)).toEqual([[{ column: 'session_seconds', before: '3600', after: '7200' }]]);
      const text = diffText(diff, before, after);
      expect(text).toContain('1 added, 1 removed, 1 changed');
      expect(text).toContain('- bob@corp.example.com 111111111111 (prod) ReadOnly via AWS, Admins (CN=AWS\\, Admins,OU=Groups)');
      expect(text).toContain('    session_seconds: 3600 -> 7200');
      expect(diffReports(before, before)).toEqual({ added: [], removed: [], changed: [] });
    });
  }

  it('refuses what is not an access report, naming the file and line', () => {
    expect(() => parseReport('a,b\n1,2\n', 'x.csv')).toThrow(ReportParseError);
    expect(() => parseReport('a,b\n1,2\n', 'x.csv')).toThrow(/x\.csv line 1/);
    expect(() => parseReport('# generated_at=now\nperson_id\n', 'y.csv')).toThrow(/y\.csv line 2: the columns/);
    expect(() => parseReport('{"type":"header"}\n{oops\n', 'z.jsonl')).toThrow(/z\.jsonl line 2: not JSON/);
    expect(() => parseReport('{"type":"header"}\n{"type":"row"}\n', 'z.jsonl')).toThrow(/z\.jsonl line 2: a row without personId/);
    const lines = written('csv', [base], 'g').split('\n');
    const truncated = [...lines.slice(0, 2), (lines[2] ?? '').replace(/,true,,,$/, ''), ...lines.slice(3)].join('\n');
    expect(() => parseReport(truncated, 't.csv')).toThrow(/t\.csv line 3: \d+ cells, expected 26/);
  });
});
