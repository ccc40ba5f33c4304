import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load-policy.ts';
import type { Problem } from './problem.ts';
import { filesWith, VALID_FILES } from '../../test/fixtures/policy-files.ts';

const only = (problems: Problem[]) =>
  problems.map(({ file, line, column, severity, message }) => `${file}:${line}:${column}: ${severity}: ${message}`);
const load = (changes: Record<string, string | null>, options = {}) => loadPolicy(filesWith(changes), options);
const readOnly = (body: string) => ({ 'permission-sets/ReadOnly.yaml': `managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n${body}` });

describe('loadPolicy on a valid folder', () => {
  it('returns the policy with every field and no problems', () => {
    const { policy, problems } = load({});
    expect(problems).toEqual([]);
    expect(policy?.accounts).toEqual([
      {
        id: '111111111111',
        name: 'payments-prod',
        color: '#d13212',
        tags: { env: 'prod', unit: 'payments' },
        regions: ['eu-west-1', 'us-east-1'],
        ouPath: '/Root/Workloads/Prod',
      },
      { id: '022222222222', name: 'payments-dev', tags: { env: 'dev', unit: 'payments' }, regions: [], ouPath: '/Root/Workloads/Dev' },
    ]);
    expect(policy?.permissionSets).toEqual([
      {
        name: 'Developer',
        sessionDurationSeconds: 14400,
        managedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
        inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] },
        tags: { team: 'platform' },
      },
      {
        name: 'ReadOnly',
        description: 'Read everything',
        sessionDurationSeconds: 28800,
        managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        tags: {},
      },
    ]);
    expect(policy?.assignments).toEqual([
      { group: 'Auditors', permissionSet: 'ReadOnly', accounts: { tags: { env: 'prod' } } },
      { group: 'Developers', permissionSet: 'Developer', accounts: { all: true } },
    ]);
    expect(policy?.allowMassDeletion).toBe(false);
  });

  it('maps allowMassDeletion and default regions from settings.yaml', () => {
    const { policy } = load({ 'settings.yaml': 'allowMassDeletion: true\ndefaultRegions: [eu-north-1]\n' });
    expect(policy?.allowMassDeletion).toBe(true);
    expect(policy?.accounts.map((account) => account.regions)).toEqual([['eu-west-1', 'us-east-1'], ['eu-north-1']]);
  });

  it('turns a list of selectors into one assignment each', () => {
    const { policy, problems } = load({
      'assignments.yaml':
        'assignments:\n  - group: Devs\n    permissionSet: ReadOnly\n    accounts:\n      - tags: { env: dev }\n      - ouPaths: [/Root/Workloads/]\n',
    });
    expect(problems).toEqual([]);
    expect(policy?.assignments).toEqual([
      { group: 'Devs', permissionSet: 'ReadOnly', accounts: { tags: { env: 'dev' } } },
      { group: 'Devs', permissionSet: 'ReadOnly', accounts: { ouPaths: ['/Root/Workloads'] } },
    ]);
  });

  it('accepts session lengths as ISO 8601 durations or seconds', () => {
    for (const [written, seconds] of [
      ['PT1H30M', 5400],
      ['PT12H', 43200],
      ['3600', 3600],
      ['PT90M', 5400],
    ] as const) {
      const { policy } = load({
        'permission-sets/ReadOnly.yaml': `sessionDuration: ${written}\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`,
      });
      expect(policy?.permissionSets.find((set) => set.name === 'ReadOnly')?.sessionDurationSeconds).toBe(seconds);
    }
  });
});

describe('console-only permission sets', () => {
  it('reads cli: false as console-only, and cli: true or no cli as not', () => {
    const consoleOnly = (body: string) => load(readOnly(body)).policy?.permissionSets.find((set) => set.name === 'ReadOnly')?.consoleOnly;
    expect(consoleOnly('cli: false\n')).toBe(true);
    expect(consoleOnly('cli: true\n')).toBeUndefined();
    expect(consoleOnly('')).toBeUndefined();
  });

  it('refuses a cli that is not true or false, at its line', () => {
    const { policy, problems } = load(readOnly('cli: "no"\n'));
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual(['permission-sets/ReadOnly.yaml:2:6: error: cli: cli must be true or false']);
  });
});

describe('account ids', () => {
  it('rejects an unquoted YAML number, leading zero and all, without converting it', () => {
    const { policy, problems } = load({ 'accounts.yaml': VALID_FILES['accounts.yaml']!.replace('"022222222222"', '022222222222') });
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual(['accounts.yaml:8:9: error: accounts[1].id: account id must be a quoted string of 12 digits']);
  });

  it('rejects a quoted id that is not 12 digits', () => {
    const { problems } = load({ 'accounts.yaml': 'accounts:\n  - id: "12345"\n    name: x\n' });
    expect(only(problems)).toEqual(['accounts.yaml:2:9: error: accounts[0].id: account id must be exactly 12 digits']);
  });

  it('rejects a JSON number as id', () => {
    const { problems } = load({ 'accounts.yaml': null, 'accounts.json': '{\n  "accounts": [{ "id": 333333333333, "name": "x" }]\n}\n' });
    expect(only(problems)).toContain('accounts.json:2:24: error: accounts[0].id: account id must be a quoted string of 12 digits');
  });

  it('rejects unquoted ids in selectors', () => {
    const { problems } = load({
      'assignments.yaml': 'assignments:\n  - group: X\n    permissionSet: ReadOnly\n    accounts: { ids: [111111111111] }\n',
    });
    expect(only(problems)).toEqual(['assignments.yaml:4:23: error: assignments[0].accounts.ids[0]: account id must be a quoted string of 12 digits']);
  });

  it('reports an id listed twice and a name used twice', () => {
    const { problems } = load({
      'accounts/more.yaml': 'accounts:\n  - id: "111111111111"\n    name: other\n  - id: "333333333333"\n    name: payments-dev\n',
    });
    expect(only(problems)).toEqual([
      'accounts/more.yaml:2:9: error: account 111111111111 is already listed at accounts.yaml:2:9',
      'accounts/more.yaml:5:11: error: account name "payments-dev" is used by more than one account (022222222222, 333333333333)',
    ]);
  });

  it('requires an id when accounts are not discovered', () => {
    const { problems } = load({ 'accounts.yaml': 'accounts:\n  - name: lonely\n' });
    expect(only(problems)).toEqual(['accounts.yaml:2:5: error: accounts[0]: missing required key "id" (or set discoverAccounts: true in settings)']);
  });
});

describe('permission sets', () => {
  it('reports an unknown permission set, suggesting a near match', () => {
    const { problems } = load({
      'assignments.yaml': VALID_FILES['assignments.yaml']!.replace('permissionSet: ReadOnly', 'permissionSet: Readonly').replace(
        'permissionSet: Developer',
        'permissionSet: Ops',
      ),
    });
    expect(only(problems)).toEqual([
      'assignments.yaml:3:20: error: unknown permission set "Readonly"; did you mean "ReadOnly"?',
      'assignments.yaml:6:20: error: unknown permission set "Ops" (defined: Developer, ReadOnly)',
    ]);
  });

  it('reports duplicate names, ignoring case as IAM does', () => {
    const { problems } = load({ 'permission-sets/readonly.yml': 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' });
    expect(only(problems)).toEqual([
      'permission-sets/readonly.yml:1:1: error: permission set "readonly" is already defined in permission-sets/ReadOnly.yaml (IAM role names ignore case)',
    ]);
  });

  it('reports a role name over 64 characters with its prefix', () => {
    const name = 'A'.repeat(54);
    const { problems } = load({ [`permission-sets/${name}.yaml`]: 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' });
    expect(only(problems)).toEqual([`permission-sets/${name}.yaml:1:1: error: role name "Switchyard-${name}" is 65 characters; IAM allows 64`]);
  });

  it('accepts a 53-character name, the longest that fits', () => {
    const name = 'A'.repeat(53);
    expect(load({ [`permission-sets/${name}.yaml`]: 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' }).problems).toEqual([]);
  });

  it('reports a name that differs from the file name', () => {
    const { problems } = load(readOnly('name: ReadOnlyAccess\n'));
    expect(only(problems)).toEqual([
      'permission-sets/ReadOnly.yaml:2:7: error: name "ReadOnlyAccess" differs from the file name "ReadOnly"; rename one so they match',
    ]);
  });

  it('reports an inline policy over 10,240 characters, white space between tokens not counted', () => {
    const statement = (size: number) => ({ Effect: 'Deny', Action: `x:${'a'.repeat(size)}`, Resource: '*' });
    const fits = JSON.stringify({ Version: '2012-10-17', Statement: [statement(0)] }).length;
    const exact = { Version: '2012-10-17', Statement: [statement(10240 - fits)] };
    expect(load({ 'policies/deny.json': JSON.stringify(exact, null, 4) }).problems).toEqual([]);
    const over = { Version: '2012-10-17', Statement: [statement(10241 - fits)] };
    expect(only(load({ 'policies/deny.json': JSON.stringify(over, null, 4) }).problems)).toEqual([
      expect.stringMatching(
        /^permission-sets\/Developer\.json:4:19: error: inline policy "policies\/deny\.json" is 10,241 bytes; IAM allows 10,240 characters of inline policy per role\. /,
      ),
    ]);
  });

  it('reports a trust policy over the quota, and honours a raised quota', () => {
    const { problems } = load({}, { trustPolicyLength: (set: { name: string }) => (set.name === 'ReadOnly' ? 2049 : 100) });
    expect(only(problems)).toEqual([
      'permission-sets/ReadOnly.yaml:1:1: error: the trust policy of role "Switchyard-ReadOnly" would be 2,049 characters, over the 2,048-character quota (raise the IAM quota and set limits.trustPolicySize in settings)',
    ]);
    expect(load({ 'settings.yaml': 'limits: { trustPolicySize: 4096 }\n' }, { trustPolicyLength: () => 2049 }).problems).toEqual([]);
  });

  it('uses the reconciler’s worst-case trust policy by default, which fits for any valid name', () => {
    expect(load({ [`permission-sets/${'B'.repeat(53)}.yaml`]: 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' }).problems).toEqual([]);
  });

  it('reports more managed policies than the quota, and honours a raised quota', () => {
    const eleven = {
      'permission-sets/ReadOnly.yaml': `managedPolicies:\n${Array.from({ length: 11 }, (_, i) => `  - arn:aws:iam::aws:policy/P${i}\n`).join('')}`,
    };
    expect(only(load(eleven).problems)).toEqual([
      'permission-sets/ReadOnly.yaml:1:1: error: 11 managed policies; a role may have at most 10 (raise the IAM quota and set limits.managedPoliciesPerRole in settings)',
    ]);
    expect(load({ ...eleven, 'settings.yaml': 'limits: { managedPoliciesPerRole: 20 }\n' }).problems).toEqual([]);
  });

  it('reports a managed policy listed twice and a malformed ARN', () => {
    const { problems } = load(readOnly('permissionsBoundary: arn:aws:iam::aws:role/Nope\n'));
    expect(only(problems)).toEqual([
      'permission-sets/ReadOnly.yaml:2:22: error: permissionsBoundary: must be a managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    const twice = load({ 'permission-sets/ReadOnly.yaml': 'managedPolicies:\n  - arn:aws:iam::aws:policy/A\n  - arn:aws:iam::aws:policy/A\n' });
    expect(only(twice.problems)).toEqual(['permission-sets/ReadOnly.yaml:3:5: error: managed policy arn:aws:iam::aws:policy/A is listed twice']);
  });

  it.each([
    ['PT13H', 'sessionDuration is 13 h; it must be between 1 h and 12 h'],
    ['PT30M', 'sessionDuration is 30 min; it must be between 1 h and 12 h'],
    ['43201', 'sessionDuration: must be between 3600 and 43200 seconds (1 h to 12 h)'],
    ['"8 hours"', 'sessionDuration: must be an ISO 8601 duration such as PT8H or PT1H30M'],
    ['[1]', 'sessionDuration: must be an ISO 8601 duration such as PT8H or a number of seconds'],
  ])('reports session length %s', (written, message) => {
    const { problems } = load({
      'permission-sets/ReadOnly.yaml': `sessionDuration: ${written}\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`,
    });
    expect(only(problems)).toEqual([`permission-sets/ReadOnly.yaml:1:18: error: ${message}`]);
  });

  it('reports tag keys and values IAM refuses', () => {
    const { problems } = load(readOnly(`tags:\n  ${'k'.repeat(129)}: v\n  ok: ${'v'.repeat(257)}\n  "bad#": v\n  aws:x: v\n  num: 12\n`));
    expect(only(problems)).toEqual([
      `permission-sets/ReadOnly.yaml:3:3: error: tags: "${'k'.repeat(37)}...": tag key must be at most 128 characters`,
      'permission-sets/ReadOnly.yaml:4:7: error: tags.ok: tag value must be at most 256 characters',
      'permission-sets/ReadOnly.yaml:5:3: error: tags: "bad#": tag key may contain only letters, digits, spaces and _ . : / = + - @',
      'permission-sets/ReadOnly.yaml:6:3: error: tags: "aws:x": tag keys starting with "aws:" are reserved by AWS',
      'permission-sets/ReadOnly.yaml:7:8: error: tags.num: tag value must be a string (quote numbers and booleans)',
    ]);
  });

  it('reports the switchyard: tag prefix and too many tags', () => {
    expect(only(load(readOnly('tags:\n  Switchyard:managed: "false"\n')).problems)).toEqual([
      'permission-sets/ReadOnly.yaml:3:3: error: tag keys starting with "switchyard:" are reserved for Switchyard',
    ]);
    const tags = (count: number) => `tags:\n${Array.from({ length: count }, (_, i) => `  k${i}: v\n`).join('')}`;
    expect(load(readOnly(tags(48))).problems).toEqual([]);
    expect(only(load(readOnly(tags(49))).problems)).toEqual([
      'permission-sets/ReadOnly.yaml:2:1: error: 49 tags; a role may have 50, of which Switchyard keeps 2, so at most 48',
    ]);
  });

  it('reports a missing inline policy file', () => {
    const { problems } = load({ 'policies/deny.json': null });
    expect(only(problems)).toEqual(['permission-sets/Developer.json:4:19: error: inline policy file "policies/deny.json" not found']);
  });

  it('reports invalid JSON in a policy document at its position', () => {
    const { problems } = load({ 'policies/deny.json': '{\n  "Version": "2012-10-17",\n  "Statement": [}\n' });
    expect(only(problems)).toEqual(['policies/deny.json:3:17: error: invalid JSON: expected a value, found "}"']);
  });

  it('reports a policy document without Statement, and a path leaving the folder', () => {
    expect(only(load({ 'policies/deny.json': '{ "Version": "2012-10-17" }' }).problems)).toEqual([
      'policies/deny.json:1:1: error: policy document has no "Statement"',
    ]);
    const outside = load({
      'permission-sets/Developer.json': VALID_FILES['permission-sets/Developer.json']!.replace('../policies/deny.json', '../../x.json'),
    });
    expect(only(outside.problems)).toEqual([
      'permission-sets/Developer.json:4:19: error: inline policy "../../x.json" is outside the policy folder',
      'policies/deny.json:1:1: warning: policy document is not used by any permission set',
    ]);
  });

  it('reports a permission set that grants nothing', () => {
    expect(only(load({ 'permission-sets/Empty.yaml': 'description: nothing\n' }).problems)).toEqual([
      'permission-sets/Empty.yaml:1:1: error: permission set "Empty" grants nothing: give managedPolicies or inlinePolicy',
    ]);
  });
});

describe('selectors and file shape', () => {
  it('warns, without failing, about a selector that matches no account', () => {
    const { policy, problems } = load({ 'assignments.yaml': VALID_FILES['assignments.yaml']!.replace('env: prod', 'env: staging') });
    expect(policy).toBeDefined();
    expect(only(problems)).toEqual(['assignments.yaml:4:15: warning: selector matches no account']);
  });

  it('warns about each id or name no account has', () => {
    const { problems } = load({
      'assignments.yaml':
        'assignments:\n  - group: X\n    permissionSet: ReadOnly\n    accounts: { ids: ["111111111111", "999999999999"], names: [nope] }\n',
    });
    expect(only(problems)).toEqual([
      'assignments.yaml:4:39: warning: no account has id 999999999999',
      'assignments.yaml:4:64: warning: no account is named "nope"',
    ]);
  });

  it('refuses an empty selector', () => {
    const { problems } = load({ 'assignments.yaml': 'assignments:\n  - group: X\n    permissionSet: ReadOnly\n    accounts: {}\n' });
    expect(only(problems)).toEqual(['assignments.yaml:4:15: error: an empty selector matches no account; use "*" for all accounts']);
  });

  it('names unknown and missing keys', () => {
    expect(only(load({ 'accounts.yaml': VALID_FILES['accounts.yaml']!.replace('color:', 'colour:') }).problems)).toEqual([
      'accounts.yaml:4:5: error: accounts[0]: unknown key "colour"',
    ]);
    expect(only(load({ 'assignments.yaml': 'assignments:\n  - group: X\n    accounts: "*"\n' }).problems)).toEqual([
      'assignments.yaml:2:5: error: assignments[0]: missing required key "permissionSet"',
    ]);
    expect(only(load({ 'assignments.yaml': '' }).problems)).toEqual(['assignments.yaml:1:1: error: missing required key "assignments"']);
  });

  it('reports YAML syntax errors, several documents and duplicate keys', () => {
    expect(only(load({ 'assignments.yaml': 'assignments:\n  - group: [X\n' }).problems)).toEqual([
      'assignments.yaml:3:1: error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(only(load({ 'assignments.yaml': `${VALID_FILES['assignments.yaml']}---\nfoo: 1\n` }).problems)).toEqual([
      'assignments.yaml:8:1: error: only one document per file is allowed (found "---")',
    ]);
    expect(only(load({ 'settings.json': '{\n  "allowMassDeletion": false,\n  "allowMassDeletion": true\n}' }).problems)).toEqual([
      'settings.json:3:3: error: Map keys must be unique',
    ]);
  });

  it('warns about files outside the layout and ignores dot, underscore and markdown files', () => {
    const { policy, problems } = load({ 'permision-sets/X.yaml': 'a: 1', '.switchyard/lock.json': '{', '_reports/last.json': '{', 'README.md': '#' });
    expect(policy).toBeDefined();
    expect(only(problems)).toEqual([
      'permision-sets/X.yaml:1:1: warning: not a policy file, ignored (expected settings.yaml, accounts.yaml, accounts/*, permission-sets/*, assignments.yaml, assignments/*, eligibility.yaml, eligibility/*, policies/*.json)',
    ]);
  });

  it('allows only one settings file', () => {
    expect(only(load({ 'settings.yaml': '{}', 'settings.json': '{}' }).problems)).toEqual([
      'settings.yaml:1:1: error: only one settings file is allowed (also found settings.json)',
    ]);
  });
});
