import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../shared/policy/model.ts';
import type { CliIo, Command } from './command.ts';
import { main } from './main.ts';
import { makePolicyValidate } from './policy-validate.ts';

const DEMO = fileURLToPath(new URL('../local/demo/policy', import.meta.url));

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

const demoAccounts: Account[] = [
  { id: '000000000001', name: 'payments-prod', tags: { env: 'prod' }, regions: [], ouPath: '/Root/Workloads/Prod' },
  { id: '000000000002', name: 'payments-dev', tags: { env: 'dev' }, regions: [], ouPath: '/Root/Workloads/Dev' },
  { id: '000000000003', name: 'data-prod', tags: { env: 'prod' }, regions: [], ouPath: '/Root/Workloads/Prod' },
  { id: '000000000004', name: 'sandbox', tags: { env: 'sandbox' }, regions: [], ouPath: '/Root/Sandbox' },
];

describe('CLI dispatcher', () => {
  it('runs the command named by the leading words with the remaining arguments', async () => {
    const seen: string[][] = [];
    const fake: Command = { words: ['policy', 'plan'], usage: 'DIR', summary: 'plan', run: async (args) => (seen.push(args), 7) };
    const io = captureIo();
    expect(await main(['policy', 'plan', 'x', '--json'], io, [fake])).toBe(7);
    expect(seen).toEqual([['x', '--json']]);
  });

  it('answers an unknown command with usage on stderr and exit 2', async () => {
    const io = captureIo();
    expect(await main(['policy', 'nope'], io)).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/^switchyard: unknown command "policy nope"\n\nusage:\n {2}switchyard policy validate DIR/);
  });

  it('answers no arguments with usage and exit 2, --help with usage and exit 0', async () => {
    expect(await main([], captureIo())).toBe(2);
    expect(await main(['--help'], captureIo())).toBe(0);
    expect(await main(['policy', 'validate', '--help'], captureIo())).toBe(0);
  });
});

describe('policy validate', () => {
  it('checks the demo policy against discovered accounts with --discover', async () => {
    const io = captureIo();
    const command = makePolicyValidate({ discover: async () => demoAccounts });
    expect(await main(['policy', 'validate', DEMO, '--discover'], io, [command])).toBe(0);
    expect(io.out).toBe('');
    expect(io.err).toBe('policy is valid: 4 accounts, 3 permission sets (1 console-only: cli: false), 4 assignments\n');
  });

  it('without --discover, says the accounts are not checked yet', async () => {
    const io = captureIo();
    expect(await main(['policy', 'validate', DEMO], io)).toBe(0);
    expect(io.out).toBe(
      'settings.yaml:4:1: warning: accounts are discovered from AWS Organizations when reconciling; run with --discover to check selectors against them\n',
    );
    expect(io.err).toContain('accounts come from AWS Organizations');
  });

  it('checks ARNs and regions for the partition of AWS_REGION, and says which it assumed when it is unset', async () => {
    const china = captureIo();
    china.env = { AWS_REGION: 'cn-north-1' };
    expect(await main(['policy', 'validate', DEMO, '--discover'], china, [makePolicyValidate({ discover: async () => demoAccounts })])).toBe(1);
    expect(china.out).toMatch(
      /^permission-sets\/\w+\.yaml:\d+:\d+: error: managedPolicies\[0\]: arn:aws:iam::aws:policy\/\w+ is an ARN of the aws partition, but this Switchyard deployment is in aws-cn/m,
    );
    expect(china.err).toMatch(/^policy is invalid: \d+ errors?, \d+ warnings?\n$/);

    const unset = captureIo();
    unset.env = {};
    const folder = fileURLToPath(new URL('../../test/fixtures/policy-folders/broken', import.meta.url));
    expect(await main(['policy', 'validate', folder], unset)).toBe(1);
    expect(unset.err).toBe('policy is invalid: 5 errors, 1 warning (checked for partition aws: AWS_REGION is not set)\n');
  });

  it('reports a failed discovery with exit 2, and a stray option as usage', async () => {
    const io = captureIo();
    const failing = makePolicyValidate({
      discover: async () => {
        throw new Error('AccessDeniedException: not the management account');
      },
    });
    expect(await main(['policy', 'validate', DEMO, '--discover'], io, [failing])).toBe(2);
    expect(io.err).toBe('cannot discover accounts from AWS Organizations: AccessDeniedException: not the management account\n');
    const stray = captureIo();
    expect(await main(['policy', 'validate', DEMO, '--frob'], stray)).toBe(2);
    expect(stray.err).toContain("Unknown option '--frob'");
    expect(stray.err).not.toContain('TypeError');
  });

  it('names every bad variable of a bad configuration, one per line, with exit 2', async () => {
    const io = captureIo();
    io.env = { AWS_REGION: 'Europe', SWITCHYARD_RECONCILE_CONCURRENCY: 'ten' };
    expect(await main(['policy', 'plan', DEMO], io)).toBe(2);
    expect(io.err).toMatch(/^ {2}- SWITCHYARD_IDENTITY_POOL_ID is not set$/m);
    expect(io.err).toMatch(/^ {2}- AWS_REGION must be a region/m);
    expect(io.err).toMatch(/^ {2}- SWITCHYARD_RECONCILE_CONCURRENCY must be a whole number/m);
  });
});
