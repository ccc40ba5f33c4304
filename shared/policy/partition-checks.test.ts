/**
 * The loader checks what a deployment's partition can use before anything is uploaded: managed policy
 * and permissions boundary ARNs of another partition, and account regions of another partition (or of
 * none), each at its file, line and field.
 */
import { describe, expect, it } from 'vitest';
import type { Partition } from '../console/partitions.ts';
import { filesWith } from '../../test/fixtures/policy-files.ts';
import { loadPolicy } from './load-policy.ts';
import type { Account } from './model.ts';
import type { Problem } from './problem.ts';

const lines = (problems: Problem[]) =>
  problems.map(({ file, line, column, severity, message }) => `${file}:${line}:${column}: ${severity}: ${message}`);
const load = (changes: Record<string, string | null>, partition?: Partition, discoveredAccounts?: Account[]) =>
  loadPolicy(filesWith(changes), { ...(partition ? { partition } : {}), ...(discoveredAccounts ? { discoveredAccounts } : {}) });

/** The fixture folder moved to aws-cn: its ARNs and regions of aws-cn. */
const CHINA = {
  'accounts.yaml': 'accounts:\n  - { id: "111111111111", name: prod, tags: { env: prod }, regions: [cn-north-1, cn-northwest-1] }\n',
  'permission-sets/ReadOnly.yaml': 'managedPolicies: [arn:aws-cn:iam::aws:policy/ReadOnlyAccess]\n',
  'permission-sets/Developer.json': '{ "managedPolicies": ["arn:aws-cn:iam::aws:policy/PowerUserAccess"] }\n',
  'policies/deny.json': null,
};

describe('ARNs of another partition', () => {
  it('accept a folder whose ARNs and regions are all of the deployment partition', () => {
    expect(load(CHINA, 'aws-cn').problems).toEqual([]);
    expect(load({}, 'aws').problems).toEqual([]);
  });

  it('refuse managed policies of another partition at their line, saying what the ARN is in this one', () => {
    const { problems, policy } = load(
      {
        ...CHINA,
        'permission-sets/ReadOnly.yaml':
          'managedPolicies:\n  - arn:aws-cn:iam::aws:policy/ReadOnlyAccess\n  - arn:aws:iam::aws:policy/SecurityAudit\n',
      },
      'aws-cn',
    );
    expect(policy).toBeUndefined();
    expect(lines(problems)).toEqual([
      'permission-sets/ReadOnly.yaml:3:5: error: managedPolicies[1]: arn:aws:iam::aws:policy/SecurityAudit is an ARN of the aws partition, but this Switchyard deployment is in aws-cn (the partition of its region); write arn:aws-cn:iam::aws:policy/SecurityAudit',
    ]);
  });

  it('refuse a permissions boundary of another partition, also a customer managed one in aws-us-gov', () => {
    const { problems } = load(
      {
        'permission-sets/ReadOnly.yaml':
          'managedPolicies: [arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess]\npermissionsBoundary: arn:aws:iam::123456789012:policy/boundaries/Strict\n',
        'permission-sets/Developer.json': '{ "managedPolicies": ["arn:aws-us-gov:iam::aws:policy/PowerUserAccess"] }\n',
        'accounts.yaml': 'accounts:\n  - { id: "111111111111", name: prod, tags: { env: prod }, regions: [us-gov-west-1] }\n',
        'policies/deny.json': null,
      },
      'aws-us-gov',
    );
    expect(lines(problems)).toEqual([
      'permission-sets/ReadOnly.yaml:2:22: error: permissionsBoundary: arn:aws:iam::123456789012:policy/boundaries/Strict is an ARN of the aws partition, but this Switchyard deployment is in aws-us-gov (the partition of its region); write arn:aws-us-gov:iam::123456789012:policy/boundaries/Strict',
    ]);
  });

  it('are not judged without a partition (a folder checked for no deployment)', () => {
    expect(load(CHINA).problems).toEqual([]);
  });
});

describe('account regions and the partition', () => {
  it('refuse each region of another partition, naming it, also when all of an account’s regions are elsewhere', () => {
    const { problems } = load(
      {
        ...CHINA,
        'accounts.yaml': `accounts:
  - { id: "111111111111", name: prod, tags: { env: prod }, regions: [eu-west-1, us-east-1] }
  - { id: "022222222222", name: dev, regions: [cn-north-1, us-gov-west-1] }
`,
      },
      'aws-cn',
    );
    expect(lines(problems)).toEqual([
      'accounts.yaml:2:70: error: accounts[0].regions[0]: eu-west-1 belongs to aws; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
      'accounts.yaml:2:81: error: accounts[0].regions[1]: us-east-1 belongs to aws; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
      'accounts.yaml:3:60: error: accounts[1].regions[1]: us-gov-west-1 belongs to aws-us-gov; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
    ]);
  });

  it('refuse default regions of another partition in settings', () => {
    const { problems } = load({ ...CHINA, 'settings.yaml': 'defaultRegions: [cn-north-1, eu-west-1]\n' }, 'aws-cn');
    expect(lines(problems)).toEqual([
      'settings.yaml:1:30: error: defaultRegions[1]: eu-west-1 belongs to aws; this Switchyard deployment serves aws-cn (an organization lives in one partition)',
    ]);
  });

  it('refuse regions of partitions Switchyard does not serve, and names that are no AWS region, with or without a partition', () => {
    for (const partition of [undefined, 'aws'] as const) {
      const accounts = (regions: string) => ({
        'accounts.yaml': `accounts:\n  - { id: "111111111111", name: prod, tags: { env: prod }, regions: [${regions}] }\n`,
      });
      expect(lines(load(accounts('eu-west-1, us-iso-east-1'), partition).problems)).toEqual([
        'accounts.yaml:2:81: error: accounts[0].regions[1]: us-iso-east-1 belongs to aws-iso, a partition Switchyard does not serve (it serves aws, aws-us-gov, aws-cn)',
      ]);
      expect(lines(load(accounts('xx-south-1'), partition).problems)).toEqual([
        'accounts.yaml:2:70: error: accounts[0].regions[0]: region must be an AWS region name such as eu-west-1',
      ]);
    }
  });

  it('warn about a name AWS does not list but whose shape says the partition: a new region, or a typo', () => {
    const { problems, policy } = load(
      { 'accounts.yaml': 'accounts:\n  - { id: "111111111111", name: prod, tags: { env: prod }, regions: [ap-southeast-123] }\n' },
      'aws',
    );
    expect(lines(problems)).toEqual([
      expect.stringMatching(
        /^accounts\.yaml:2:70: warning: accounts\[0\]\.regions\[0\]: ap-southeast-123 is not a region AWS lists \(AWS SDK data of @aws-sdk\/core [\d.]+\); its name fits the regions of aws, so it is taken as one: check the spelling$/,
      ),
    ]);
    expect(policy?.accounts[0]?.regions).toEqual(['ap-southeast-123']);
  });

  it('ignore, with a warning, regions of another partition in a discovered account’s switchyard:regions tag', () => {
    const discovered: Account[] = [
      { id: '111111111111', name: 'prod', tags: { env: 'prod', 'switchyard:regions': 'cn-north-1 eu-west-1' }, regions: [] },
    ];
    const { problems, policy } = load({ ...CHINA, 'settings.yaml': 'discoverAccounts: true\n', 'accounts.yaml': null }, 'aws-cn', discovered);
    expect(lines(problems)).toEqual([
      'settings.yaml:1:1: warning: discovered account prod (111111111111): tag switchyard:regions="cn-north-1 eu-west-1": eu-west-1 belongs to aws; this Switchyard deployment serves aws-cn (an organization lives in one partition); ignored',
    ]);
    expect(policy?.accounts[0]?.regions).toEqual([]);
  });
});
