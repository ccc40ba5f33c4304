import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, README_PATH, renderTable, withTable } from './readme.ts';
import { PARTS } from './parts.ts';

describe('the README prerequisites table', () => {
  it('is the one generated from scripts/prerequisites/parts.ts (run `npm run prereqs:readme` when this fails)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(withTable(readme)).toBe(readme);
  });

  it('has one row per part, with its tested version and Debian packages', () => {
    const rows = renderTable().split('\n').slice(2);
    expect(rows).toHaveLength(PARTS.length);
    expect(rows.find((row) => row.startsWith('| Samba AD DC |'))).toContain(
      '| 4.17.12 | `samba` `samba-ad-provision` `samba-dsdb-modules` `winbind` |',
    );
  });

  it('refuses a README without the markers', () => {
    expect(() => withTable('# no table here\n')).toThrow(/lacks the markers/);
    expect(withTable(`a\n${BEGIN}\nold\n${END}\nb\n`, '| t |')).toBe(`a\n${BEGIN}\n| t |\n${END}\nb\n`);
  });
});
