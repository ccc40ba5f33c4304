import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema, reconcilerConfig } from '../../backend/config/config.ts';
import { BEGIN, DOC_PATH, END, renderTable, variables, withTable } from './docs-table.ts';

describe('the configuration table in docs/configuration.md', () => {
  it('is the one generated from the configuration schema (run `npm run config:docs` when this fails)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    expect(withTable(doc)).toBe(doc);
  });

  it('has one row per variable of the schema, each with its default as the parts receive it', () => {
    const rows = renderTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(EnvSchema.shape).length);
    const config = reconcilerConfig({
      SWITCHYARD_POLICY_BUCKET: 'b-1',
      SWITCHYARD_IDENTITY_POOL_ID: 'eu-west-1:11111111-2222-3333-4444-555555555555',
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard',
    });
    const byName = new Map(variables().map((variable) => [variable.name, variable]));
    expect(byName.get('SWITCHYARD_RECONCILE_CONCURRENCY')?.defaultValue).toBe(config.concurrency);
    expect(byName.get('SWITCHYARD_ACCESS_ROLE_NAME')?.defaultValue).toBe(config.accessRoleName);
    expect(Number(byName.get('SWITCHYARD_LOCK_TTL_SECONDS')?.defaultValue) * 1000).toBe(config.lockTtlMs);
    expect(rows.find((row) => row.startsWith('| `SWITCHYARD_POLICY_BUCKET` |'))).toContain(
      '| reconcile Lambda, `policy push`, API Lambda, `access report`, access report Lambda |',
    );
  });

  it('refuses a document without the markers', () => {
    expect(() => withTable('# no table here\n')).toThrow(/lacks the markers/);
    expect(withTable(`a\n${BEGIN}\nold\n${END}\nb\n`, '| t |')).toBe(`a\n${BEGIN}\n| t |\n${END}\nb\n`);
  });
});
