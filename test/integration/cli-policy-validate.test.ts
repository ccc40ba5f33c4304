/** The real `switchyard` bin (node + tsx) on fixture folders: exit codes and exact output lines. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = 'test/fixtures/policy-folders';

function switchyard(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/switchyard.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
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
