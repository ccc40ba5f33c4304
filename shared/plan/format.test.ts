import { describe, expect, test } from 'vitest';
import { formatReport } from './format.ts';
import { summarize, type AccountReport, type ReconcileReport } from './report.ts';

function report(mode: 'plan' | 'apply', accounts: AccountReport[], extra: Partial<ReconcileReport> = {}): ReconcileReport {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    version: 1,
    runId: 'r',
    mode,
    status: mode === 'plan' ? 'planned' : 'partial',
    startedAt: at,
    finishedAt: at,
    problems: [],
    accounts,
    summary: summarize(accounts),
    ...extra,
  };
}

const account: AccountReport = {
  accountId: '111111111111',
  accountName: 'dev',
  created: ['Switchyard-Admin'],
  updated: [{ role: 'Switchyard-ReadOnly', fields: ['inlinePolicy', 'tags'] }],
  deleted: ['Switchyard-Old'],
  conflicts: [{ roleName: 'Switchyard-X', reason: 'taken' }],
  failed: [{ role: 'Switchyard-Y', reason: 'AccessDenied: no' }],
};

describe('formatReport', () => {
  test('one block per account with a line per role change, then a summary', () => {
    const text = formatReport(
      report('apply', [
        account,
        {
          ...account,
          accountId: '222222222222',
          accountName: undefined,
          created: [],
          updated: [],
          deleted: [],
          conflicts: [],
          failed: [],
          error: 'cannot assume',
        },
      ]),
    );
    expect(text.split('\n')).toEqual([
      '111111111111 (dev)',
      '  + Switchyard-Admin (created)',
      '  ~ Switchyard-ReadOnly: inlinePolicy, tags',
      '  - Switchyard-Old (deleted)',
      '  ! Switchyard-X: taken',
      '  x Switchyard-Y: AccessDenied: no',
      '222222222222',
      '  failed: cannot assume',
      'partial: created 1, updated 1, deleted 1 roles in 2 accounts; 1 conflicts, 2 failed accounts',
    ]);
  });

  test('plans say what would happen; accounts without changes are left out; problems come first', () => {
    const quiet = { ...account, accountId: '333333333333', created: [], updated: [], deleted: [], conflicts: [], failed: [] };
    const text = formatReport(
      report('plan', [quiet], { problems: [{ file: 'accounts.yaml', line: 2, column: 9, severity: 'error', message: 'bad id' }] }),
    );
    expect(text).toBe(
      'accounts.yaml:2:9: error: bad id\nplanned: would create 0, update 0, delete 0 roles in 1 accounts; 0 conflicts, 0 failed accounts',
    );
  });

  test('escapes control characters in every name and reason it prints', () => {
    const hostile: AccountReport = {
      accountId: '111111111111',
      accountName: 'dev\u001b[31m',
      created: ['Switchyard-\u009b2J'],
      updated: [],
      deleted: [],
      conflicts: [{ roleName: 'Switchyard-X', reason: 'taken by\nsomeone \u202eelse' }],
      failed: [],
      error: 'AccessDenied\u0007',
    };
    const text = formatReport(
      report('plan', [hostile], { problems: [{ file: 'a\u001b.yaml', line: 1, column: 1, severity: 'error', message: 'x\u0000' }] }),
    );
    expect(text.split('\n')).toEqual([
      'a\\u001b.yaml:1:1: error: x\\u0000',
      '111111111111 (dev\\u001b[31m)',
      '  failed: AccessDenied\\u0007',
      '  + Switchyard-\\u009b2J',
      '  ! Switchyard-X: taken by\\nsomeone \\u202eelse',
      'planned: would create 1, update 0, delete 0 roles in 1 accounts; 1 conflicts, 1 failed accounts',
    ]);
  });
});
