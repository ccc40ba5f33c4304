/** The loader on folders made to hurt it, or made carelessly: each case is refused with one clear, located problem. */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load-policy.ts';
import { formatProblem, type Problem } from './problem.ts';
import { filesWith, VALID_FILES } from './test-fixtures.ts';
import { containsUnsafe } from '../test-fixtures.ts';

const only = (problems: Problem[]) => problems.map(formatProblem);
const load = (changes: Record<string, string | null>) => loadPolicy(filesWith(changes));
const NAME_RULE = 'must not contain control characters (such as NUL or ESC) or bidirectional-text controls';

describe('control characters in names', () => {
  it.each([
    ['an account name', { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: "prod\\u001b[31m"\n' }, 'accounts.yaml:3:11: error: accounts[0].name: account name ' + NAME_RULE],
    ['an account name with NUL', { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: "prod\\0"\n' }, 'accounts.yaml:3:11: error: accounts[0].name: account name ' + NAME_RULE],
    ['an OU path', { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: prod\n    ouPath: "/Root/\\u202eProd"\n' }, 'accounts.yaml:4:13: error: accounts[0].ouPath: OU path ' + NAME_RULE],
    ['a group', { 'assignments.yaml': 'assignments:\n  - group: "Dev\\u001b]0;pwned\\u0007"\n    permissionSet: ReadOnly\n    accounts: "*"\n' }, 'assignments.yaml:2:12: error: assignments[0].group: group ' + NAME_RULE],
    ['a permission set reference', { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: "Read\\u009bOnly"\n    accounts: "*"\n' }, 'assignments.yaml:3:20: error: assignments[0].permissionSet: permission set ' + NAME_RULE],
    ['a selector name', { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: ReadOnly\n    accounts: { names: ["x\\u001b[2J"] }\n' }, 'assignments.yaml:4:25: error: assignments[0].accounts.names[0]: account name ' + NAME_RULE],
    ['a selector OU path', { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: ReadOnly\n    accounts: { ouPaths: ["/Root/\\u0085"] }\n' }, 'assignments.yaml:4:27: error: assignments[0].accounts.ouPaths[0]: OU path ' + NAME_RULE],
    ['a permission set description', { 'permission-sets/ReadOnly.yaml': 'description: "Read \\u001b[8m everything"\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' }, 'permission-sets/ReadOnly.yaml:1:14: error: description: description ' + NAME_RULE.replace('(such as', '(other than tab and line breaks, such as')],
    ['an inline policy path', { 'permission-sets/ReadOnly.yaml': 'inlinePolicy: "../policies/\\u001b.json"\n' }, 'permission-sets/ReadOnly.yaml:1:15: error: inlinePolicy: inline policy path ' + NAME_RULE],
    ['a tag key', { 'permission-sets/ReadOnly.yaml': 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\ntags: { "team\\u001b": x }\n' }, 'permission-sets/ReadOnly.yaml:2:9: error: tags: "team\\u001b": tag key may contain only letters, digits, spaces and _ . : / = + - @'],
  ])('refuses %s, and prints the problem without the raw character', (_, files, expected) => {
    const result = load(files);
    expect(result.policy).toBeUndefined();
    const lines = only(result.problems);
    expect(lines).toEqual([expected]);
    for (const line of lines) expect(containsUnsafe(line)).toBe(false);
  });

  it('keeps tab and line breaks in a description', () => {
    const { problems } = load({ 'permission-sets/ReadOnly.yaml': 'description: "Read\\teverything,\\nchange nothing"\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' });
    expect(problems).toEqual([]);
  });

  it('refuses a file whose name holds a control character, naming it escaped', () => {
    const { policy, problems } = load({ 'accounts/\u001b[2Jmore.yaml': VALID_FILES['accounts.yaml']!.replace(/"1111/, '"3333').replace(/"0222/, '"4444').replace(/payments-/g, 'other-') });
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual([
      'accounts/\\u001b[2Jmore.yaml:1:1: error: file name ' + NAME_RULE + '; rename the file',
    ]);
  });
});
