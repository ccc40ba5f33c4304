/** A file over the size limit is refused with advice for what that file is, not one text for all. */
import { describe, expect, it } from 'vitest';
import { fileSizeProblem } from './file-set.ts';
import { MAX_FILE_BYTES } from './limits.ts';

const tooLarge = (path: string) => fileSizeProblem(path, MAX_FILE_BYTES + 1)?.message ?? '';
const LIMIT = 'file is 1.0 MiB (1,048,577 bytes); a policy file may be at most 1 MiB (1,048,576 bytes): ';

describe('the size limit message', () => {
  it('tells an accounts file to split its accounts, and an assignments file its assignments', () => {
    expect(tooLarge('accounts.yaml')).toBe(`${LIMIT}split the accounts over several files under accounts/ (accounts/*.yaml)`);
    expect(tooLarge('accounts/eu.yaml')).toBe(`${LIMIT}split the accounts over several files under accounts/ (accounts/*.yaml)`);
    expect(tooLarge('assignments.yaml')).toBe(`${LIMIT}split the assignments over several files under assignments/ (assignments/*.yaml)`);
  });

  it('tells a permission set file that a permission set is one role of a few kilobytes', () => {
    const message = tooLarge('permission-sets/ReadOnly.yaml');
    expect(message).toMatch(/^file is 1\.0 MiB .*: a permission set file describes one role and is a few kilobytes at most/);
    expect(message).not.toMatch(/split accounts/);
  });

  it("gives a policy document IAM's quotas: 10,240 characters for a role's inline policy, 6,144 for a managed policy", () => {
    const message = tooLarge('policies/deny-secrets.json');
    expect(message).toContain("it becomes the role's inline policy, and IAM allows 10,240 characters of inline policy per role");
    expect(message).toContain('a customer managed policy may have 6,144 characters');
    expect(message).toContain('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html');
    expect(message).not.toMatch(/split accounts/);
  });

  it('tells settings and files Switchyard does not read what applies to them', () => {
    expect(tooLarge('settings.yaml')).toBe(`${LIMIT}settings.yaml holds a few options; check that this is the file you meant`);
    expect(tooLarge('_exports/inventory.csv')).toBe(
      `${LIMIT}Switchyard does not read this file, but it is pushed and read back with the policy: move it out of the policy folder`,
    );
    expect(tooLarge('README.md')).toMatch(/Switchyard does not read this file/);
    expect(tooLarge('notes/big.yaml')).toMatch(/Switchyard does not read this file/);
  });
});
