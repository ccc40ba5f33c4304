import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_NESTING_DEPTH, NESTED_TOO_DEEPLY } from './limits.ts';
import { loadPolicy } from './load-policy.ts';
import type { PolicyFile } from './problem.ts';
import { filesWith, VALID_FILES } from '../../test/fixtures/policy-files.ts';

const PATHS = [
  'settings.yaml',
  'settings.json',
  'accounts.yaml',
  'accounts/more.json',
  'assignments.yml',
  'assignments/team.yaml',
  'permission-sets/ReadOnly.yaml',
  'permission-sets/Developer.json',
  'policies/deny.json',
  'stray.yaml',
];

/** Every problem is located inside a file that was given, and nothing crashed behind the safety net. */
function expectLocated(files: PolicyFile[]): void {
  const result = loadPolicy(files);
  const lines = new Map(files.map((file) => [file.path, file.content.split('\n').length]));
  for (const problem of result.problems) {
    expect(problem.message).not.toMatch(/^internal error/);
    expect(lines.has(problem.file)).toBe(true);
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines.get(problem.file)!);
    expect(['error', 'warning']).toContain(problem.severity);
  }
  if (result.policy) expect(result.problems.every((problem) => problem.severity === 'warning')).toBe(true);
}

const filesOf = (content: fc.Arbitrary<string>) =>
  fc.uniqueArray(fc.record({ path: fc.constantFrom(...PATHS), content }), { selector: (file) => file.path, maxLength: 6 });

const yamlish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.constantFrom('012345678901', '*', 'PT8H', 'arn:aws:iam::aws:policy/ReadOnlyAccess', '../policies/deny.json', '/Root/Sandbox'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom(
          'accounts',
          'assignments',
          'id',
          'name',
          'tags',
          'group',
          'permissionSet',
          'ids',
          'ouPaths',
          'managedPolicies',
          'inlinePolicy',
          'sessionDuration',
          'limits',
        ),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('loadPolicy never throws and always locates its problems', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(filesOf(fc.string({ unit: 'grapheme', maxLength: 200 })), (files) => expectLocated(files)),
      { numRuns: 300 },
    );
  }, 60_000);

  it('on arbitrary YAML and JSON structures', () => {
    const rendered = fc.tuple(yamlish, fc.boolean()).map(([value, asJson]) => (asJson ? (JSON.stringify(value) ?? 'null') : stringify(value)));
    fc.assert(
      fc.property(filesOf(rendered), (files) => expectLocated(files)),
      { numRuns: 300 },
    );
  }, 60_000);

  it('on valid files with random edits', () => {
    const valid = Object.entries(VALID_FILES).map(([path, content]) => ({ path, content }));
    const edit = fc.record({
      file: fc.nat(valid.length - 1),
      at: fc.nat(),
      remove: fc.nat(8),
      insert: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom('\n', ': ', '- ', '"', '{', ']', '\t', '  ', '#', '012', '&a', '*a', '---\n', '!!binary '),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        const files = valid.map((file) => ({ ...file }));
        for (const { file, at, remove, insert } of edits) {
          const target = files[file]!;
          const position = at % (target.content.length + 1);
          target.content = target.content.slice(0, position) + insert + target.content.slice(position + remove);
        }
        expectLocated(files);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('on hostile YAML: alias bombs, deep nesting, odd tags', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expectLocated([{ path: 'accounts.yaml', content: bomb }]);
    expectLocated([{ path: 'settings.yaml', content: `${'['.repeat(2000)}${']'.repeat(2000)}` }]);
    expectLocated([{ path: 'settings.json', content: `${'['.repeat(5000)}${']'.repeat(5000)}` }]);
    expectLocated([{ path: 'accounts.yaml', content: 'accounts: !!binary aGVsbG8=\n' }]);
    expectLocated([{ path: 'accounts.yaml', content: 'accounts:\n  - id: !custom "111111111111"\n    name: x\n' }]);
    expectLocated([{ path: 'accounts.yaml', content: '? [complex, key]\n: value\n__proto__: { id: 1 }\n' }]);
  });
});

describe('object keys from files stay data', () => {
  const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
  const key = fc.oneof(
    fc.constantFrom(...KEYS),
    fc.string({ maxLength: 12 }),
    fc.constantFrom(...KEYS).map((name) => `${name} `),
  );
  /** Every own property of Object.prototype with what it holds (functions compare by identity). */
  const prototypeNames = () =>
    Object.getOwnPropertyNames(Object.prototype)
      .sort()
      .map((property) => {
        const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, property)!;
        return [property, descriptor.value, descriptor.get, descriptor.set];
      });

  it('for any key in tags, selectors and policy documents, in YAML or JSON: Object.prototype is unchanged, and the key is kept or refused where it is', () => {
    const before = prototypeNames();
    fc.assert(
      fc.property(key, fc.string({ maxLength: 8 }), fc.boolean(), (name, value, asJson) => {
        const tags = Object.fromEntries([[name, value]]);
        const render = (object: unknown) => (asJson ? JSON.stringify(object) : stringify(object));
        const ext = asJson ? 'json' : 'yaml';
        const accounts = { accounts: [{ id: '111111111111', name: 'a', tags }] };
        const readOnly = { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], tags };
        const assignments = { assignments: [{ group: 'g', permissionSet: 'ReadOnly', accounts: { tags } }] };
        const document = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: tags } }] };
        const result = loadPolicy(
          filesWith({
            'accounts.yaml': null,
            'assignments.yaml': null,
            'permission-sets/ReadOnly.yaml': null,
            [`accounts.${ext}`]: render(accounts),
            [`assignments.${ext}`]: render(assignments),
            [`permission-sets/ReadOnly.${ext}`]: render(readOnly),
            'policies/deny.json': JSON.stringify(document),
          }),
        );
        expect(prototypeNames()).toEqual(before);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
        if (result.policy) {
          const account = result.policy.accounts.find((candidate) => candidate.id === '111111111111')!;
          const set = result.policy.permissionSets.find((candidate) => candidate.name === 'ReadOnly')!;
          for (const kept of [account.tags, set.tags, result.policy.assignments[0]!.accounts.tags!]) {
            expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
            expect(Object.hasOwn(kept, name)).toBe(true);
            expect(kept[name]).toBe(value);
          }
        } else {
          const errors = result.problems.filter((problem) => problem.severity === 'error');
          expect(errors.length).toBeGreaterThan(0);
          if (name === '__proto__')
            expect(errors.map((problem) => problem.message)).toContain(
              'key "__proto__" is not allowed (in JavaScript it names the object\'s prototype)',
            );
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});

describe('nesting depth', () => {
  const shapes: Record<string, { path: string; nest: (depth: number) => string }> = {
    'YAML flow lists': { path: 'settings.yaml', nest: (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}` },
    'YAML flow maps': { path: 'accounts.yaml', nest: (depth) => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}` },
    'YAML block lists': { path: 'assignments.yaml', nest: (depth) => `${'- '.repeat(depth)}x\n` },
    'YAML block maps': {
      path: 'permission-sets/X.yaml',
      nest: (depth) => `${Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}a:`).join('\n')} 1\n`,
    },
    'YAML mixed, unclosed': {
      path: 'settings.yml',
      nest: (depth) => `a:\n${Array.from({ length: depth - 1 }, (_, level) => (level % 2 ? '{b: ' : '[')).join('')}`,
    },
    JSON: { path: 'settings.json', nest: (depth) => `${'{"a": ['.repeat(Math.ceil(depth / 2)).slice(0, depth % 2 ? -1 : undefined)}1` },
    'JSON policy document': { path: 'policies/deep.json', nest: (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}` },
  };

  it('for any depth and shape, a clean "nested too deeply" past the limit, never a stack overflow', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(shapes)), fc.integer({ min: 1, max: 3 * MAX_NESTING_DEPTH }), (shape, depth) => {
        const { path, nest } = shapes[shape]!;
        const { problems } = loadPolicy([{ path, content: nest(depth) }]);
        const messages = problems.map((problem) => problem.message);
        expect(messages.join('\n')).not.toMatch(/call stack|internal error|cannot read file/i);
        expect(messages.filter((message) => message === NESTED_TOO_DEEPLY)).toHaveLength(depth > MAX_NESTING_DEPTH ? 1 : 0);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
