/** The loader on folders made to hurt it, or made carelessly: each case is refused with one clear, located problem. */
import { describe, expect, it } from 'vitest';
import { decodePolicyFile } from './decode-policy-file.ts';
import { loadPolicy } from './load-policy.ts';
import { MAX_ALIASES, MAX_FILE_BYTES, MAX_FILES, MAX_NESTING_DEPTH, MAX_TOTAL_BYTES } from './limits.ts';
import { formatProblem, type PolicyFile, type Problem } from './problem.ts';
import { filesWith, VALID_FILES } from '../../test/fixtures/policy-files.ts';
import { containsUnsafe } from '../../test/fixtures/printable.ts';

const only = (problems: Problem[]) => problems.map(formatProblem);
const load = (changes: Record<string, string | null>) => loadPolicy(filesWith(changes));
const utf16le = (text: string) =>
  new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...text].map((char) => char.charCodeAt(0))).buffer)]);
const SAVE_AS_UTF8 = 'save it as UTF-8 (Windows PowerShell 5: Out-File -Encoding utf8)';
const BINARY = new Uint8Array([
  0x1f, 0x8b, 0x08, 0x00, 0x3a, 0x5b, 0x7b, 0x0a, 0x2d, 0x20, 0x00, 0xff, 0x3a, 0x0a, 0x09, 0x22, 0x5d, 0x7d, 0x26, 0x2a, 0x21, 0x3a, 0x0a, 0x80,
]);
const NAME_RULE = 'must not contain control characters (such as NUL or ESC) or bidirectional-text controls';

describe('control characters in names', () => {
  it.each([
    [
      'an account name',
      { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: "prod\\u001b[31m"\n' },
      'accounts.yaml:3:11: error: accounts[0].name: account name ' + NAME_RULE,
    ],
    [
      'an account name with NUL',
      { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: "prod\\0"\n' },
      'accounts.yaml:3:11: error: accounts[0].name: account name ' + NAME_RULE,
    ],
    [
      'an OU path',
      { 'accounts.yaml': 'accounts:\n  - id: "111111111111"\n    name: prod\n    ouPath: "/Root/\\u202eProd"\n' },
      'accounts.yaml:4:13: error: accounts[0].ouPath: OU path ' + NAME_RULE,
    ],
    [
      'a group',
      { 'assignments.yaml': 'assignments:\n  - group: "Dev\\u001b]0;pwned\\u0007"\n    permissionSet: ReadOnly\n    accounts: "*"\n' },
      'assignments.yaml:2:12: error: assignments[0].group: group ' + NAME_RULE,
    ],
    [
      'a permission set reference',
      { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: "Read\\u009bOnly"\n    accounts: "*"\n' },
      'assignments.yaml:3:20: error: assignments[0].permissionSet: permission set ' + NAME_RULE,
    ],
    [
      'a selector name',
      { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: ReadOnly\n    accounts: { names: ["x\\u001b[2J"] }\n' },
      'assignments.yaml:4:25: error: assignments[0].accounts.names[0]: account name ' + NAME_RULE,
    ],
    [
      'a selector OU path',
      { 'assignments.yaml': 'assignments:\n  - group: Dev\n    permissionSet: ReadOnly\n    accounts: { ouPaths: ["/Root/\\u0085"] }\n' },
      'assignments.yaml:4:27: error: assignments[0].accounts.ouPaths[0]: OU path ' + NAME_RULE,
    ],
    [
      'a permission set description',
      { 'permission-sets/ReadOnly.yaml': 'description: "Read \\u001b[8m everything"\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n' },
      'permission-sets/ReadOnly.yaml:1:14: error: description: description ' +
        NAME_RULE.replace('(such as', '(other than tab and line breaks, such as'),
    ],
    [
      'an inline policy path',
      { 'permission-sets/ReadOnly.yaml': 'inlinePolicy: "../policies/\\u001b.json"\n' },
      'permission-sets/ReadOnly.yaml:1:15: error: inlinePolicy: inline policy path ' + NAME_RULE,
    ],
    [
      'a tag key',
      { 'permission-sets/ReadOnly.yaml': 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\ntags: { "team\\u001b": x }\n' },
      'permission-sets/ReadOnly.yaml:2:9: error: tags: "team\\u001b": tag key may contain only letters, digits, spaces and _ . : / = + - @',
    ],
  ])('refuses %s, and prints the problem without the raw character', (_, files, expected) => {
    const result = load(files);
    expect(result.policy).toBeUndefined();
    const lines = only(result.problems);
    expect(lines).toEqual([expected]);
    for (const line of lines) expect(containsUnsafe(line)).toBe(false);
  });

  it('keeps tab and line breaks in a description', () => {
    const { problems } = load({
      'permission-sets/ReadOnly.yaml':
        'description: "Read\\teverything,\\nchange nothing"\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n',
    });
    expect(problems).toEqual([]);
  });

  it('refuses a file whose name holds a control character, naming it escaped', () => {
    const { policy, problems } = load({
      'accounts/\u001b[2Jmore.yaml': VALID_FILES['accounts.yaml']!.replace(/"1111/, '"3333')
        .replace(/"0222/, '"4444')
        .replace(/payments-/g, 'other-'),
    });
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual(['accounts/\\u001b[2Jmore.yaml:1:1: error: file name ' + NAME_RULE + '; rename the file']);
  });
});

describe('files that are not UTF-8 text', () => {
  const withBytes = (path: string, bytes: Uint8Array) => [...filesWith({ [path]: null }), decodePolicyFile(path, bytes)];

  it('names a UTF-16 file once (Windows PowerShell 5 writes UTF-16 by default)', () => {
    const { policy, problems } = loadPolicy(withBytes('accounts.yaml', utf16le(VALID_FILES['accounts.yaml']!)));
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual([`accounts.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`]);
  });

  it('names a UTF-16 file that a reader already decoded as UTF-8 (a string with NULs)', () => {
    const { problems } = load({ 'accounts.yaml': new TextDecoder().decode(utf16le(VALID_FILES['accounts.yaml']!)) });
    expect(only(problems)).toEqual([`accounts.yaml:1:1: error: file is UTF-16 text; ${SAVE_AS_UTF8}`]);
  });

  it('says "not a text file" once for binary data, however it reached the loader', () => {
    expect(only(loadPolicy(withBytes('accounts.yaml', BINARY)).problems)).toEqual([
      'accounts.yaml:1:4: error: not a text file (it holds NUL bytes); policy files are UTF-8 text',
    ]);
    expect(only(load({ 'accounts.yaml': new TextDecoder().decode(BINARY) }).problems)).toEqual([
      'accounts.yaml:1:4: error: not a text file (it holds NUL bytes); policy files are UTF-8 text',
    ]);
    expect(only(loadPolicy(withBytes('policies/deny.json', BINARY)).problems)).toEqual([
      'policies/deny.json:1:4: error: not a text file (it holds NUL bytes); policy files are UTF-8 text',
    ]);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(VALID_FILES['accounts.yaml']!)]);
    expect(loadPolicy(withBytes('accounts.yaml', bom)).problems).toEqual([]);
    expect(load({ 'accounts.yaml': `\uFEFF${VALID_FILES['accounts.yaml']!}` }).problems).toEqual([]);
  });

  it('leaves binary files alone where the loader does not read them', () => {
    const files = [
      ...filesWith(),
      decodePolicyFile('_assets/logo.png', BINARY),
      decodePolicyFile('README.md', BINARY),
      decodePolicyFile('logo.png', BINARY),
    ];
    const { policy, problems } = loadPolicy(files);
    expect(policy).toBeDefined();
    expect(only(problems)).toEqual([expect.stringMatching(/^logo\.png:1:1: warning: not a policy file, ignored/)]);
  });
});

describe('size limits', () => {
  /** The case reported: 80,000 accounts in one 5 MB file were accepted after 18 s and 744 MB. */
  const hugeAccounts = () => {
    let text = 'accounts:\n';
    for (let index = 0; index < 80_000; index++) text += `  - { id: "${100_000_000_000 + index}", name: account-${index}, tags: { env: prod } }\n`;
    return text;
  };

  it('refuses a file over the limit before parsing it, naming file and limit', () => {
    const text = hugeAccounts();
    expect(text.length).toBeGreaterThan(5_000_000);
    const { policy, problems } = load({ 'accounts.yaml': text });
    expect(policy).toBeUndefined();
    expect(only(problems)).toEqual([
      `accounts.yaml:1:1: error: file is ${(text.length / 1048576).toFixed(1)} MiB (${text.length.toLocaleString('en-US')} bytes); a policy file may be at most 1 MiB (1,048,576 bytes): split the accounts over several files under accounts/ (accounts/*.yaml)`,
    ]);
  });

  it('counts bytes as stored (UTF-8), not characters, and takes a size the reader gives', () => {
    const wide = `# ${'é'.repeat(MAX_FILE_BYTES / 2)}\naccounts: []\n`;
    expect(wide.length).toBeLessThan(MAX_FILE_BYTES);
    expect(only(load({ 'accounts/wide.yaml': wide }).problems)).toEqual([
      expect.stringMatching(/^accounts\/wide\.yaml:1:1: error: file is 1\.0 MiB \(1,048,592 bytes\); a policy file may be at most 1 MiB/),
    ]);
    const unread: PolicyFile = { path: 'policies/big.json', content: '', size: 50_000_000 };
    expect(only(loadPolicy([...filesWith(), unread]).problems)).toEqual([
      expect.stringMatching(/^policies\/big\.json:1:1: error: file is 47\.7 MiB \(50,000,000 bytes\)/),
    ]);
  });

  it('accepts a file of exactly the limit', () => {
    const base = VALID_FILES['accounts.yaml']!;
    const exact = `${base}#${'x'.repeat(MAX_FILE_BYTES - base.length - 2)}\n`;
    expect(new TextEncoder().encode(exact).length).toBe(MAX_FILE_BYTES);
    expect(load({ 'accounts.yaml': exact }).problems).toEqual([]);
  });

  it('refuses even files it would ignore, since every file is pushed and read back', () => {
    expect(only(load({ 'README.md': 'x'.repeat(MAX_FILE_BYTES + 1) }).problems)).toEqual([
      expect.stringMatching(/^README\.md:1:1: error: file is 1\.0 MiB \(1,048,577 bytes\)/),
    ]);
  });

  it('refuses more files than the limit with one problem', () => {
    const files = [
      ...filesWith(),
      ...Array.from({ length: MAX_FILES }, (_, index) => ({ path: `policies/p${String(index).padStart(4, '0')}.json`, content: '{}' })),
    ];
    expect(only(loadPolicy(files).problems)).toEqual([
      `policies/p${String(MAX_FILES - 5).padStart(4, '0')}.json:1:1: error: more than 2,000 files in the policy folder; Switchyard reads at most 2,000 (this file is number 2,001)`,
    ]);
  });

  it('refuses files that together exceed the total, naming the largest', () => {
    const part = (index: number) => ({ path: `accounts/part${index}.yaml`, content: '', size: MAX_FILE_BYTES - index });
    const files = [...filesWith(), ...Array.from({ length: MAX_TOTAL_BYTES / MAX_FILE_BYTES }, (_, index) => part(index))];
    const total = files.reduce((sum, file) => sum + (file.size ?? new TextEncoder().encode(file.content).length), 0);
    expect(only(loadPolicy(files).problems)).toEqual([
      `accounts/part0.yaml:1:1: error: the policy files add up to ${(total / 1048576).toFixed(1)} MiB (${total.toLocaleString('en-US')} bytes), over the 8 MiB (8,388,608 bytes) allowed for all files together; this is the largest`,
    ]);
  });
});

describe('prototype keys', () => {
  const PROTO = 'key "__proto__" is not allowed (in JavaScript it names the object\'s prototype)';

  it.each([
    [
      'an account tag (YAML)',
      { 'accounts.yaml': VALID_FILES['accounts.yaml']!.replace('tags: { env: prod, unit: payments }', 'tags: { env: prod, __proto__: evil }') },
      `accounts.yaml:5:24: error: ${PROTO}`,
    ],
    [
      'an account tag (JSON)',
      {
        'accounts.yaml': null,
        'accounts.json': '{ "accounts": [{ "id": "111111111111", "name": "x",\n  "tags": { "env": "prod", "__proto__": "evil" } }] }',
      },
      `accounts.json:2:28: error: ${PROTO}`,
    ],
    [
      'a selector tag',
      { 'assignments.yaml': 'assignments:\n  - group: X\n    permissionSet: ReadOnly\n    accounts: { tags: { "__proto__": { env: prod } } }\n' },
      `assignments.yaml:4:25: error: ${PROTO}`,
    ],
    [
      'a permission set tag',
      { 'permission-sets/ReadOnly.yaml': 'managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\ntags:\n  __proto__: x\n' },
      `permission-sets/ReadOnly.yaml:3:3: error: ${PROTO}`,
    ],
    ['a top-level key', { 'settings.yaml': '__proto__: { allowMassDeletion: true }\n' }, `settings.yaml:1:1: error: ${PROTO}`],
    ['a pair in a flow sequence', { 'settings.yaml': 'defaultRegions: [__proto__: eu-west-1]\n' }, `settings.yaml:1:18: error: ${PROTO}`],
    [
      'a policy document',
      {
        'policies/deny.json':
          '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Deny", "Action": "*", "Resource": "*",\n  "Condition": { "StringEquals": { "__proto__": "x" } } }] }',
      },
      `policies/deny.json:2:36: error: ${PROTO}`,
    ],
  ])('refuses "__proto__" as %s at its position, instead of dropping it', (_, files, expected) => {
    const result = load(files);
    expect(result.policy).toBeUndefined();
    expect(only(result.problems)).toEqual([expected]);
  });

  it('keeps "constructor", "prototype" and "toString" as ordinary tag keys', () => {
    const { policy, problems } = load({
      'accounts.yaml':
        'accounts:\n  - id: "111111111111"\n    name: a\n    tags: { constructor: c, prototype: p, toString: t }\n  - id: "222222222222"\n    name: b\n',
      'assignments.yaml': 'assignments:\n  - group: X\n    permissionSet: ReadOnly\n    accounts: { tags: { constructor: c } }\n',
    });
    expect(problems).toEqual([]);
    expect(policy?.accounts[0]?.tags).toEqual({ constructor: 'c', prototype: 'p', toString: 't' });
    expect(Object.keys(policy!.accounts[0]!.tags)).toEqual(['constructor', 'prototype', 'toString']);
    expect(policy?.assignments[0]?.accounts).toEqual({ tags: { constructor: 'c' } });
  });
});

describe('deep nesting', () => {
  const DEEP = 'nested too deeply (more than 64 levels)';

  it('refuses YAML nested deeper than the limit with the message JSON gets, where the limit is passed', () => {
    expect(MAX_NESTING_DEPTH).toBe(64);
    expect(only(load({ 'settings.yaml': `limits: ${'['.repeat(3000)}${']'.repeat(3000)}\n` }).problems)).toEqual([
      `settings.yaml:1:72: error: ${DEEP}`,
    ]);
    expect(only(load({ 'accounts.yaml': `${'- '.repeat(1000)}x\n` }).problems)).toEqual([`accounts.yaml:1:129: error: ${DEEP}`]);
    const blockMaps = Array.from({ length: 1000 }, (_, index) => `${' '.repeat(index)}a:`).join('\n');
    expect(only(load({ 'assignments.yaml': `${blockMaps} 1\n` }).problems)).toEqual([`assignments.yaml:65:65: error: ${DEEP}`]);
    expect(only(load({ 'settings.yaml': `a: ${'{b: '.repeat(100_000)}` }).problems)).toEqual([`settings.yaml:1:256: error: ${DEEP}`]);
  });

  it('says the same for JSON, also in policy documents', () => {
    expect(only(load({ 'settings.json': `${'{"a":'.repeat(100)}1${'}'.repeat(100)}` }).problems)).toEqual([`settings.json:1:321: error: ${DEEP}`]);
    expect(only(load({ 'policies/deny.json': `${'['.repeat(5000)}${']'.repeat(5000)}` }).problems)).toEqual([
      `policies/deny.json:1:65: error: ${DEEP}`,
    ]);
  });

  it('accepts nesting up to the limit', () => {
    const fits = `limits: ${'['.repeat(63)}${']'.repeat(63)}\n`;
    expect(only(load({ 'settings.yaml': fits }).problems)).toEqual([
      'settings.yaml:1:9: error: limits: Invalid input: expected object, received array',
    ]);
    const json = `{"Version": "2012-10-17", "Statement": [], "x": ${'['.repeat(62)}${']'.repeat(62)}}`;
    expect(only(load({ 'policies/deny.json': json }).problems)).toEqual([]);
  });
});

// How long these take is measured by `npm run bench -- policy-load`, not asserted here.
describe('files within the size limit that used to cost time quadratically', () => {
  it('locates tens of thousands of problems in one map (60,000 unknown keys took 100 s)', () => {
    const content = Array.from({ length: 60_000 }, (_, index) => `k${index}: v\n`).join('');
    const { problems } = load({ 'settings.yaml': content });
    expect(problems).toHaveLength(60_000);
    expect(formatProblem(problems.at(-1)!)).toBe('settings.yaml:60000:1: error: unknown key "k59999"');
  }, 30_000);

  it('refuses more YAML aliases than the limit at the first one past it (20,000 aliases took 100 s)', () => {
    expect(MAX_ALIASES).toBe(1000);
    const content = `a: &t { env: prod }\nb:\n${'  - *t\n'.repeat(20_000)}`;
    expect(only(load({ 'settings.yaml': content }).problems)).toEqual([
      'settings.yaml:1003:5: error: more than 1,000 aliases (*name) in one file; write the values out, or split the file',
    ]);
    const fits = `tags: &t { env: prod }\nb:\n${'  - *t\n'.repeat(MAX_ALIASES)}`;
    expect(only(load({ 'settings.yaml': fits }).problems)).not.toContainEqual(expect.stringMatching(/aliases/));
  });

  it('still reports a repeated key at the repetition, in YAML and JSON, and only within one map', () => {
    expect(only(load({ 'settings.yaml': 'limits:\n  trustPolicySize: 4096\n  trustPolicySize: 4096\n' }).problems)).toEqual([
      'settings.yaml:3:3: error: Map keys must be unique',
    ]);
    expect(only(load({ 'settings.json': '{"limits": {"trustPolicySize": 4096}, "x": {"limits": 1}, "limits": {}}' }).problems)).toEqual([
      'settings.json:1:59: error: Map keys must be unique',
    ]);
    // 1 and "1" are one key to JavaScript: the first would be dropped.
    expect(only(load({ 'accounts.yaml': 'accounts:\n  - { id: "111111111111", name: a, tags: { 1: x, "1": y } }\n' }).problems)).toEqual([
      'accounts.yaml:2:50: error: Map keys must be unique',
    ]);
  });

  it('checks many selectors against a large inventory (12,000 x 12,000 took 26 s)', () => {
    const accounts = Array.from(
      { length: 12_000 },
      (_, index) => `  - { id: "${100_000_000_000 + index}", name: a${index}, tags: { env: prod } }\n`,
    ).join('');
    const ids = Array.from({ length: 60_000 }, (_, index) => `"${200_000_000_000 + index}"`).join(',');
    const selectors = Array.from(
      { length: 12_000 },
      (_, index) => `  - { group: g${index}, permissionSet: ReadOnly, accounts: { tags: { env: x${index} } } }\n`,
    ).join('');
    const many = load({ 'accounts.yaml': `accounts:\n${accounts}`, 'assignments.yaml': `assignments:\n${selectors}` });
    const byIds = load({
      'accounts.yaml': `accounts:\n${accounts}`,
      'assignments.yaml': `assignments:\n  - group: g\n    permissionSet: ReadOnly\n    accounts: { ids: [${ids}] }\n`,
    });
    expect(many.problems).toHaveLength(12_000);
    expect(byIds.problems).toHaveLength(60_000);
  }, 60_000);
});
