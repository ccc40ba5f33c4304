import { describe, expect, it } from 'vitest';
import { reportWriter } from './report-format.ts';
import { accessRow } from '../../test/fixtures/access-row.ts';

const row = accessRow({
  displayName: '=HYPERLINK("http://x")',
  enabled: false,
  membership: 'nested',
  chain: ['CN=Level-2', 'CN=Level-3'],
  accountName: 'prod | main',
  accountTags: { env: 'prod', team: 'pay' },
  managedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'],
});

describe('access report formats', () => {
  it('CSV quotes commas and quotes, keeps a spreadsheet from running a formula, and joins lists readably', () => {
    const line = reportWriter('csv').row(row);
    expect(line).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(line).toContain('"AWS, Admins"');
    expect(line).toContain('CN=Level-2 > CN=Level-3');
    expect(line).toContain('arn:aws:iam::aws:policy/A arn:aws:iam::aws:policy/B');
    expect(line).toContain('env=prod; team=pay');
    expect(line.endsWith(',standing,,,,true,,,\n')).toBe(true);
  });

  it('Markdown escapes the table separator and a line break cannot end a cell', () => {
    const md = reportWriter('md');
    expect(md.row(row)).toContain('prod \\| main');
    expect(md.end(['Ghost\nTeam'])).toContain('- Ghost Team\n');
    expect(md.end([])).toContain('None.');
  });
});
