/** The real `switchyard` bin (node + tsx) on fixture folders: exit codes and exact output lines. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { containsUnsafe } from '../fixtures/printable.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = 'test/fixtures/policy-folders';

/** The deployment region is us-east-1 (aws) unless a test names another. */
function switchyard(...args: string[]) {
  return switchyardIn('us-east-1', ...args);
}

function switchyardIn(region: string, ...args: string[]) {
  const env = { ...process.env, AWS_REGION: region, AWS_DEFAULT_REGION: '' };
  const result = spawnSync(process.execPath, ['bin/switchyard.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('switchyard policy validate', () => {
  it('exits 0 on a valid folder, printing warnings', () => {
    const { status, stdout, stderr } = switchyard('policy', 'validate', `${fixtures}/valid`);
    expect(stdout).toBe('assignments.yaml:7:15: warning: selector matches no account\n');
    expect(stderr).toBe('policy is valid: 2 accounts, 1 permission set, 2 assignments (1 warning)\n');
    expect(status).toBe(0);
  });

  it('exits 1 on a broken folder with one line per problem, files relative to DIR', () => {
    const { status, stdout, stderr } = switchyard('policy', 'validate', `${fixtures}/broken`);
    expect(stdout.split('\n')).toEqual([
      'accounts.yaml:2:9: error: accounts[0].id: account id must be a quoted string of 12 digits',
      'assignments.yaml:3:20: error: unknown permission set "ReadOnlyAccess" (defined: ReadOnly)',
      'permission-sets/ReadOnly.yaml:1:18: error: sessionDuration is 13 h; it must be between 1 h and 12 h',
      'permission-sets/ReadOnly.yaml:3:15: error: inline policy file "policies/missing.json" not found',
      'policies/deny-secrets.json:1:1: warning: policy document is not used by any permission set',
      'policies/deny-secrets.json:4:67: error: invalid JSON: expected a property name in double quotes, found "}"',
      '',
    ]);
    expect(stderr).toBe('policy is invalid: 5 errors, 1 warning\n');
    expect(status).toBe(1);
  });

  it('prints JSON for machines with --json', () => {
    const { status, stdout } = switchyard('policy', 'validate', '--json', `${fixtures}/broken`);
    const report = JSON.parse(stdout) as { valid: boolean; problems: { file: string; line: number; column: number; severity: string }[] };
    expect(report.valid).toBe(false);
    expect(report.problems[0]).toEqual({
      file: 'accounts.yaml',
      line: 2,
      column: 9,
      severity: 'error',
      message: 'accounts[0].id: account id must be a quoted string of 12 digits',
    });
    expect(status).toBe(1);
  });

  it('exits 2 with usage on stderr for an unknown command, a missing or unreadable DIR', () => {
    const unknown = switchyard('policy', 'frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('switchyard: unknown command "policy frobnicate"');
    expect(unknown.stderr).toContain('switchyard policy validate DIR [--json] [--discover]');
    expect(switchyard('policy', 'validate').status).toBe(2);
    const missing = switchyard('policy', 'validate', `${fixtures}/does-not-exist`);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`cannot read policy folder ${fixtures}/does-not-exist`);
  });
});

describe('switchyard policy validate in the partition of the deployment region', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const chinaFolder = (arn: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-cn-'));
    made.push(dir);
    const files: Record<string, string> = {
      'accounts.yaml': 'accounts:\n  - { id: "012345678901", name: prod, regions: [cn-north-1] }\n',
      'permission-sets/ReadOnly.yaml': `managedPolicies: [${arn}]\n`,
      'assignments.yaml': 'assignments:\n  - { group: Auditors, permissionSet: ReadOnly, accounts: "*" }\n',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };

  it('refuses a managed policy ARN of aws in an aws-cn deployment, at its line, saying what to write', () => {
    const dir = chinaFolder('arn:aws:iam::aws:policy/ReadOnlyAccess');
    const china = switchyardIn('cn-north-1', 'policy', 'validate', dir);
    expect(china.stdout).toBe(
      'permission-sets/ReadOnly.yaml:1:19: error: managedPolicies[0]: arn:aws:iam::aws:policy/ReadOnlyAccess is an ARN of the aws partition, but this Switchyard deployment is in aws-cn (the partition of its region); write arn:aws-cn:iam::aws:policy/ReadOnlyAccess\n',
    );
    expect(china.status).toBe(1);
    const json = JSON.parse(switchyardIn('cn-north-1', 'policy', 'validate', '--json', dir).stdout) as { partition: string; valid: boolean };
    expect(json).toMatchObject({ partition: 'aws-cn', valid: false });
  });

  it('accepts the aws-cn ARN there, and refuses it in a deployment of aws', () => {
    const dir = chinaFolder('arn:aws-cn:iam::aws:policy/ReadOnlyAccess');
    expect(switchyardIn('cn-northwest-1', 'policy', 'validate', dir)).toMatchObject({ status: 0, stdout: '' });
    const commercial = switchyard('policy', 'validate', dir);
    expect(commercial.stdout).toContain(
      'accounts.yaml:2:49: error: accounts[0].regions[0]: cn-north-1 belongs to aws-cn; this Switchyard deployment serves aws',
    );
    expect(commercial.stdout).toContain('write arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(commercial.status).toBe(1);
  });

  it('exits 2 naming AWS_REGION when it is no region Switchyard serves', () => {
    const iso = switchyardIn('us-iso-east-1', 'policy', 'validate', chinaFolder('arn:aws-cn:iam::aws:policy/ReadOnlyAccess'));
    expect(iso.stderr).toContain('AWS_REGION must be a region of aws, aws-us-gov or aws-cn; it names one of aws-iso');
    expect(iso.status).toBe(2);
  });
});

describe('switchyard policy validate on hostile folders', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A copy of the valid fixture folder with some files replaced (string or bytes). */
  const folder = (files: Record<string, string | Uint8Array>) => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-hostile-'));
    made.push(dir);
    cpSync(join(root, fixtures, 'valid'), dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };

  it('refuses control characters in names and never prints them raw, in text or JSON', () => {
    const dir = folder({
      'accounts.yaml': 'accounts:\n  - id: "012345678901"\n    name: "payments\\u001b[31m\\u0000"\n',
      'assignments.yaml':
        'assignments:\n  - group: "Auditors\\u001b]0;pwned\\u0007"\n    permissionSet: ReadOnly\n    accounts: { names: ["x\\u009b2J"] }\n',
    });
    const text = switchyard('policy', 'validate', dir);
    expect(text.status).toBe(1);
    expect(text.stdout.split('\n')).toEqual([
      'accounts.yaml:3:11: error: accounts[0].name: account name must not contain control characters (such as NUL or ESC) or bidirectional-text controls',
      'assignments.yaml:2:12: error: assignments[0].group: group must not contain control characters (such as NUL or ESC) or bidirectional-text controls',
      'assignments.yaml:4:25: error: assignments[0].accounts.names[0]: account name must not contain control characters (such as NUL or ESC) or bidirectional-text controls',
      '',
    ]);
    const json = switchyard('policy', 'validate', '--json', dir);
    expect(json.status).toBe(1);
    expect(containsUnsafe(json.stdout + json.stderr, true)).toBe(false);
  });

  it('escapes a file name that holds an escape sequence', () => {
    const dir = folder({ 'accounts/\u001b[2Jmore.yaml': 'accounts: []\n' });
    const { status, stdout } = switchyard('policy', 'validate', dir);
    expect(status).toBe(1);
    expect(stdout).toBe(
      'accounts/\\u001b[2Jmore.yaml:1:1: error: file name must not contain control characters (such as NUL or ESC) or bidirectional-text controls; rename the file\n',
    );
  });

  it('names a UTF-16 file (Windows PowerShell 5) once, and accepts a UTF-8 byte order mark', () => {
    const accounts = 'accounts:\r\n  - id: "012345678901"\r\n    name: payments-prod\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(accounts, 'utf16le')]);
    const broken = switchyard('policy', 'validate', folder({ 'accounts.yaml': utf16 }));
    expect(broken.stdout).toBe('accounts.yaml:1:1: error: file is UTF-16 text; save it as UTF-8 (Windows PowerShell 5: Out-File -Encoding utf8)\n');
    expect(broken.status).toBe(1);
    const bom = switchyard(
      'policy',
      'validate',
      folder({ 'accounts.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(accounts)]) }),
    );
    expect(bom.stderr).toBe('policy is valid: 1 account, 1 permission set, 2 assignments (1 warning)\n');
    expect(bom.status).toBe(0);
  });

  it('says "not a text file" once for a binary file, with no raw bytes', () => {
    const binary = Buffer.from([
      0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x3a, 0x0a, 0x5b, 0x7b, 0x2d, 0x20, 0x22, 0x0a, 0x09, 0x1b, 0x5b, 0x32, 0x4a, 0x9b,
    ]);
    const { status, stdout, stderr } = switchyard('policy', 'validate', folder({ 'accounts.yaml': binary }));
    expect(stdout).toBe('accounts.yaml:1:8: error: not a text file (it holds NUL bytes); policy files are UTF-8 text\n');
    expect(stderr).toBe('policy is invalid: 1 error, 0 warnings\n');
    expect(status).toBe(1);
  });

  it('refuses a 5 MB accounts file of 80,000 accounts with one line naming file and limit', () => {
    const lines = Array.from(
      { length: 80_000 },
      (_, index) => `  - { id: "${100_000_000_000 + index}", name: account-${index}, tags: { env: prod } }\n`,
    );
    const text = `accounts:\n${lines.join('')}`;
    const { status, stdout, stderr } = switchyard('policy', 'validate', folder({ 'accounts.yaml': text }));
    expect(stdout).toBe(
      `accounts.yaml:1:1: error: file is ${(text.length / 1048576).toFixed(1)} MiB (${text.length.toLocaleString('en-US')} bytes); a policy file may be at most 1 MiB (1,048,576 bytes): split the accounts over several files under accounts/ (accounts/*.yaml)\n`,
    );
    expect(stderr).toBe('policy is invalid: 1 error, 0 warnings\n');
    expect(status).toBe(1);
  });

  it('refuses a "__proto__" tag key at its position instead of dropping it, in YAML and JSON', () => {
    const yaml = switchyard(
      'policy',
      'validate',
      folder({ 'accounts.yaml': 'accounts:\n  - id: "012345678901"\n    name: payments-prod\n    tags: { env: prod, __proto__: evil }\n' }),
    );
    expect(yaml.stdout).toBe('accounts.yaml:4:24: error: key "__proto__" is not allowed (in JavaScript it names the object\'s prototype)\n');
    expect(yaml.status).toBe(1);
    const json = switchyard(
      'policy',
      'validate',
      folder({ 'accounts.yaml': '{"accounts": [{"id": "012345678901", "name": "p", "tags": {"__proto__": "evil"}}]}' }),
    );
    expect(json.stdout).toBe('accounts.yaml:1:60: error: key "__proto__" is not allowed (in JavaScript it names the object\'s prototype)\n');
    expect(json.status).toBe(1);
  });

  it('says "nested too deeply" for very deep YAML, as for JSON, not the engine\'s stack overflow', () => {
    const { status, stdout } = switchyard('policy', 'validate', folder({ 'settings.yaml': `limits: ${'['.repeat(3000)}${']'.repeat(3000)}\n` }));
    expect(stdout).toBe('settings.yaml:1:72: error: nested too deeply (more than 64 levels)\n');
    expect(status).toBe(1);
  });
});
