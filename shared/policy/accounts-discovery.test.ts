import { describe, expect, it } from 'vitest';
import { discoveryRequested, loadPolicy } from './load-policy.ts';
import type { Account } from './model.ts';
import type { Problem } from './problem.ts';
import { filesWith } from '../../test/fixtures/policy-files.ts';

const only = (problems: Problem[]) =>
  problems.map(({ file, line, column, severity, message }) => `${file}:${line}:${column}: ${severity}: ${message}`);

const discovered: Account[] = [
  {
    id: '000000000001',
    name: 'payments-prod',
    tags: { env: 'prod', 'switchyard:color': 'd13212', 'switchyard:regions': 'eu-west-1 us-east-1' },
    regions: [],
    ouPath: '/Root/Workloads/Prod',
  },
  { id: '000000000002', name: 'payments-dev', tags: { env: 'dev' }, regions: [], ouPath: '/Root/Workloads/Dev' },
  { id: '000000000003', name: 'sandbox', tags: { env: 'sandbox', 'switchyard:color': 'not a colour' }, regions: [], ouPath: '/Root/Sandbox' },
];

const discovering = (accounts: string) =>
  filesWith({ 'settings.yaml': 'discoverAccounts: true\ndefaultRegions: [eu-north-1]\n', 'accounts.yaml': accounts });

describe('accounts discovered from AWS Organizations', () => {
  it('is requested by settings.yaml', () => {
    expect(discoveryRequested(discovering('accounts: []\n'))).toBe(true);
    expect(discoveryRequested(filesWith())).toBe(false);
    expect(discoveryRequested(filesWith({ 'settings.yaml': 'discoverAccounts: [' }))).toBe(false);
  });

  it('returns no policy until discovered accounts are given, with a warning', () => {
    const result = loadPolicy(discovering('accounts:\n  - name: payments-prod\n    color: red\n'));
    expect(result.policy).toBeUndefined();
    expect(result.needsDiscovery).toBe(true);
    expect(only(result.problems)).toEqual([
      'settings.yaml:1:1: warning: accounts are discovered from AWS Organizations when reconciling; run with --discover to check selectors against them',
    ]);
  });

  it('takes colour and regions from tags, lets files override by name or id, and adds listed accounts', () => {
    const files = discovering(
      'accounts:\n  - name: payments-dev\n    color: "#1d8102"\n    tags: { team: web }\n  - id: "000000000003"\n    regions: [us-west-2]\n  - id: "444444444444"\n    name: outside\n',
    );
    const { policy, problems } = loadPolicy(files, { discoveredAccounts: discovered });
    expect(only(problems)).toEqual([
      'settings.yaml:1:1: warning: discovered account sandbox (000000000003): tag switchyard:color="not a colour" is not a colour; ignored',
    ]);
    expect(policy?.accounts).toEqual([
      { ...discovered[0], color: '#d13212', regions: ['eu-west-1', 'us-east-1'] },
      { ...discovered[1], color: '#1d8102', tags: { env: 'dev', team: 'web' }, regions: ['eu-north-1'] },
      { ...discovered[2], regions: ['us-west-2'] },
      { id: '444444444444', name: 'outside', tags: {}, regions: ['eu-north-1'] },
    ]);
  });

  it('reports an entry naming no discovered account, and one naming it twice', () => {
    const { problems } = loadPolicy(discovering('accounts:\n  - name: ghost\n  - name: sandbox\n  - name: sandbox\n'), {
      discoveredAccounts: discovered,
    });
    expect(only(problems).filter((line) => line.includes('error'))).toEqual([
      'accounts.yaml:2:11: error: no discovered account is named "ghost"',
      'accounts.yaml:4:11: error: account "sandbox" is already listed at accounts.yaml:3:5',
    ]);
  });

  it('warns when several discovered accounts share a name', () => {
    const twins = [...discovered, { ...discovered[2]!, id: '000000000009' }];
    const { policy, problems } = loadPolicy(discovering('accounts: []\n'), { discoveredAccounts: twins });
    expect(policy).toBeDefined();
    expect(only(problems)).toContain(
      'settings.yaml:1:1: warning: discovered accounts 000000000003, 000000000009 are all named "sandbox"; selecting by name picks all of them',
    );
  });

  it('ignores discovered accounts when settings do not ask for discovery', () => {
    const { policy } = loadPolicy(filesWith(), { discoveredAccounts: discovered });
    expect(policy?.accounts.map((account) => account.id)).toEqual(['111111111111', '022222222222']);
  });
});
