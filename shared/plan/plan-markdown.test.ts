import { describe, expect, test } from 'vitest';
import type { AccountRef, PlanDocument, RoleChangeGroup } from './plan-document.ts';
import { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, planMarkdown } from './plan-markdown.ts';
import { planText } from './plan-text.ts';
import { sessionLength } from './plan-words.ts';

const accounts = (count: number): AccountRef[] =>
  Array.from({ length: count }, (_, index) => ({ id: String(100_000_000_000 + index), name: `team-${index}` }));

function document(overrides: Partial<PlanDocument> = {}): PlanDocument {
  return {
    format: 'switchyard-plan',
    version: 1,
    outcome: 'changes',
    errors: [],
    problems: [],
    summary: { accounts: 2, create: 0, update: 2, delete: 0, conflicts: 0, failedAccounts: 0, accessAdded: 0, accessRemoved: 0 },
    access: { comparedWith: 'applied', added: [], removed: [], changed: [] },
    roles: [],
    conflicts: [],
    failedAccounts: [],
    ...overrides,
  };
}

function update(permissionSet: string, count: number, lines = 4): RoleChangeGroup {
  const statement = { Sid: 'Wide', Effect: 'Allow', Action: Array.from({ length: lines }, (_, i) => `s3:Action${i}`), Resource: '*' };
  return {
    action: 'update',
    permissionSet,
    role: `Switchyard-${permissionSet}`,
    accounts: accounts(count),
    changes: [
      { field: 'sessionDuration', from: 3600, to: 5400 },
      {
        field: 'inlinePolicy',
        name: 'switchyard-inline',
        to: { Statement: [statement] },
        statements: [
          {
            label: 'Wide',
            change: 'added',
            lines: JSON.stringify(statement, null, 2)
              .split('\n')
              .map((text) => ({ op: '+' as const, text })),
          },
        ],
      },
    ],
  };
}

describe('planMarkdown', () => {
  test('one collapsed section per permission set; the comment starts with the marker CI updates it by', () => {
    const markdown = planMarkdown(document({ roles: [update('Developer', 2), update('ReadOnly', 1)] }));
    expect(markdown.startsWith(`${PLAN_COMMENT_MARKER}\n### Switchyard plan`)).toBe(true);
    expect(markdown.match(/<details><summary><code>/g)).toHaveLength(2);
    expect(markdown).toContain('<details><summary><code>Developer</code>: update in 2 accounts</summary>');
    expect(markdown).toContain(' ~ session length: 1 h → 1 h 30 min');
    // Added lines start with "+", so GitHub colours them.
    expect(markdown).toMatch(/^\+ {10}"Sid": "Wide",$/m);
  });

  test('a plan too long for a comment keeps the summary and access, leaves out whole sections, and says where the rest is', () => {
    const roles = Array.from({ length: 60 }, (_, index) => update(`Set${index}`, 300, 40));
    const plan = document({
      roles,
      access: { comparedWith: 'applied', added: [{ group: 'Contractors', permissionSet: 'Admin', accounts: accounts(1) }], removed: [], changed: [] },
    });
    const whole = planMarkdown(plan, { limit: Number.MAX_SAFE_INTEGER, verbose: true });
    expect(whole.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);

    const markdown = planMarkdown(plan, { verbose: true, detailsUrl: 'https://github.com/o/r/actions/runs/7' });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain('| **+** gains | `Contractors` | `Admin` | `team-0` (100000000000) |');
    const shown = markdown.match(/<details><summary><code>/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(60);
    expect(markdown).toContain(`${60 - shown} permission sets left out here.** The whole plan: <https://github.com/o/r/actions/runs/7>`);
    // Every section kept is whole.
    expect(markdown.match(/<\/details>/g)).toHaveLength(shown);
  });

  test('names from policy files cannot write markdown or HTML, mention anyone, or end a code block', () => {
    const hostile = '</summary></details><img src=x onerror=alert(1)> @acme/everyone **bold** | ```';
    const plan = document({
      access: {
        comparedWith: 'applied',
        added: [{ group: hostile, permissionSet: 'Admin`s', accounts: [{ id: '111111111111', name: hostile }] }],
        removed: [],
        changed: [],
      },
      roles: [{ ...update(hostile, 1), changes: [{ field: 'description', from: 'old', to: '```\n# heading' }] }],
    });
    const markdown = planMarkdown(plan);
    // In tables: code spans (longer fences than the backticks inside), with the pipe escaped so the cell does not end.
    const span = '```` </summary></details><img src=x onerror=alert(1)> @acme/everyone **bold** \\| ``` ````';
    expect(markdown).toContain(`| **+** gains | ${span} | \`\`Admin\`s\`\` | ${span} (111111111111) |`);
    // Outside code spans and blocks, no tag of a name survives.
    const outsideCode = withoutCodeSpans(markdown.replace(/^````diff[\s\S]*?^````$/gm, ''));
    expect(outsideCode).not.toMatch(/<img|<\/summary><\/details>/);
    // The description's backticks cannot close the diff block: its fence is longer.
    expect(markdown).toContain('````diff\n ~ description: "old" → "```\\n# heading"\n````');
  });

  test('thousands of failed accounts or conflicts still fit: the head lists the first 50 of each', () => {
    const failed = accounts(3000).map((account) => ({ account, error: `AccessDenied: ${'x'.repeat(100)}` }));
    const plan = document({
      outcome: 'error',
      errors: failed.map((f) => `account ${f.account.name} (${f.account.id}) could not be planned: ${f.error}`),
      failedAccounts: failed,
      conflicts: accounts(3000).map((account) => ({
        account,
        role: 'Switchyard-Admin',
        reason: 'a role named Switchyard-Admin exists without our tag',
      })),
    });
    const markdown = planMarkdown(plan);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain('... and 2950 more errors (the text plan lists them all)');
    expect(markdown).toContain('Switchyard-Admin in team-0 (100000000000): a role named Switchyard-Admin exists without our tag');
    expect(markdown).toContain('... and 2950 more conflicts (the text plan lists them all)');
  });

  test('without the policy last applied, neither rendering claims that nobody gains or loses access', () => {
    const unknown = document({ access: { comparedWith: 'unknown', added: [], removed: [], changed: [] } });
    expect(planText(unknown)).toContain(
      'Who gains and who loses access (not known: set SWITCHYARD_POLICY_BUCKET so the plan can read the policy last applied):\n\n',
    );
    expect(planText(unknown)).not.toContain('nobody');
    expect(planMarkdown(unknown)).not.toMatch(/nobody/i);
    expect(planText(document())).toContain('Who gains and who loses access (compared with the policy last applied):\n  nobody\n');
  });

  test('the text plan escapes control characters: a name cannot drive the terminal', () => {
    const text = planText(
      document({
        access: {
          comparedWith: 'applied',
          added: [{ group: 'evil\u001b[2J', permissionSet: 'Admin', accounts: accounts(1) }],
          removed: [],
          changed: [],
        },
      }),
    );
    expect(text).toContain('+ evil\\u001b[2J gains Admin');
    expect(text).not.toContain('\u001b');
  });
});

/** The text outside code spans, as CommonMark finds them: a run of N backticks opens one, the next run of exactly N closes it. */
function withoutCodeSpans(markdown: string): string {
  let out = '';
  let index = 0;
  while (index < markdown.length) {
    const run = /^`+/.exec(markdown.slice(index))?.[0];
    if (!run) {
      out += markdown[index];
      index += 1;
      continue;
    }
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = index + run.length;
    const found = close.exec(markdown);
    if (!found) {
      out += run;
      index += run.length;
      continue;
    }
    index = found.index + run.length;
  }
  return out;
}

describe('sessionLength', () => {
  test.each([
    [3600, '1 h'],
    [14_400, '4 h'],
    [5400, '1 h 30 min'],
    [900, '15 min'],
    [3630, '1 h 0 min 30 s'],
    [43_200, '12 h'],
  ])('%i s is "%s"', (seconds, words) => {
    expect(sessionLength(seconds)).toBe(words);
  });
});
