import { describe, expect, it } from 'vitest';
import { filesWith } from '../../test/fixtures/policy-files.ts';
import { loadPolicy } from './load-policy.ts';
import type { Problem } from './problem.ts';

const lines = (problems: Problem[]) =>
  problems.map(({ file, line, column, severity, message }) => `${file}:${line}:${column}: ${severity}: ${message}`);

/** The valid folder plus one eligibility.yaml holding these entries (YAML list items, indented by two). */
const withEntries = (entries: string) => loadPolicy(filesWith({ 'eligibility.yaml': `eligibility:\n${entries}` }));

const ENTRY = `  - group: Auditors
    permissionSet: Developer
    accounts: { names: [payments-prod] }
    maxDuration: PT2H
    approval:
      groups: [Platform-Admins]
`;

describe('eligibility files', () => {
  it('loads an entry with every default filled in', () => {
    const { policy, problems } = withEntries(ENTRY);
    expect(lines(problems)).toEqual([]);
    expect(policy?.eligibility).toEqual([
      {
        group: 'Auditors',
        permissionSet: 'Developer',
        accounts: { names: ['payments-prod'] },
        maxDurationSeconds: 7200,
        defaultDurationSeconds: 3600,
        justification: { required: true },
        approval: { kind: 'approvers', groups: ['Platform-Admins'], count: 1, distinctGroups: false },
        pendingExpirySeconds: 86400,
        extensions: { count: 0, durationSeconds: 0 },
        source: 'eligibility.yaml entry 1',
      },
    ]);
  });

  it('loads every field, self-service approval and files under eligibility/', () => {
    const { policy, problems } = loadPolicy(
      filesWith({
        'eligibility/oncall.yaml': `eligibility:
  - group: Developers
    permissionSet: ReadOnly
    accounts: "*"
    maxDuration: PT45M
    justification: { required: false, pattern: '^[A-Z]+-[0-9]+', example: OPS-12 }
    approval: none
    pendingExpiry: PT10M
    extensions: { count: 2, duration: PT30M }
`,
      }),
    );
    expect(lines(problems)).toEqual([]);
    expect(policy?.eligibility[0]).toMatchObject({
      maxDurationSeconds: 2700,
      defaultDurationSeconds: 2700,
      justification: { required: false, pattern: '^[A-Z]+-[0-9]+', example: 'OPS-12' },
      approval: { kind: 'none' },
      pendingExpirySeconds: 600,
      extensions: { count: 2, durationSeconds: 1800 },
      source: 'eligibility/oncall.yaml entry 1',
    });
  });

  it('builds the roles of eligible pairs: the policy lists them like standing ones', () => {
    const { policy } = withEntries(ENTRY);
    expect(policy?.eligibility.map((entry) => `${entry.group}:${entry.permissionSet}`)).toEqual(['Auditors:Developer']);
  });

  describe('refuses', () => {
    it('approver groups that could only ever be the requesting group (a DN of it counts too)', () => {
      const { policy, problems } = withEntries(
        ENTRY.replace('groups: [Platform-Admins]', "groups: ['CN=Auditors,OU=Groups,DC=corp,DC=example,DC=com', auditors]"),
      );
      expect(policy).toBeUndefined();
      expect(lines(problems)).toEqual([
        expect.stringMatching(
          /^eligibility\.yaml:7:15: error: the only approver group is "Auditors", the group that asks: a requester never approves/,
        ),
        'eligibility.yaml:7:67: error: approver group "auditors" is listed twice (as "CN=Auditors,OU=Groups,DC=corp,DC=example,DC=com")',
      ]);
    });

    it('a maximum longer than the permission set session, unless the entry says it means that', () => {
      const longer = ENTRY.replace('PT2H', 'PT6H');
      expect(lines(withEntries(longer).problems)).toEqual([
        'eligibility.yaml:5:18: error: maxDuration is 6 h, longer than the session length of Developer (4 h): a grant would outlast one console session, and the person would open the console again within it; say `longerThanSession: true` if that is what you mean, or shorten maxDuration',
      ]);
      const meant = withEntries(`${longer}    longerThanSession: true\n`);
      expect(lines(meant.problems)).toEqual([]);
      expect(meant.policy?.eligibility[0]?.maxDurationSeconds).toBe(21600);
    });

    it('more approvals than approver groups when each must come from a different group', () => {
      const entry = ENTRY.replace('groups: [Platform-Admins]', 'groups: [Platform-Admins, Security]\n      count: 3\n      distinctGroups: true');
      expect(lines(withEntries(entry).problems)).toEqual([
        'eligibility.yaml:8:14: error: count is 3, but with distinctGroups each approval must come from a different approver group and only 2 are listed',
      ]);
      // Without distinctGroups, three different people of these groups may approve.
      const people = ENTRY.replace('groups: [Platform-Admins]', 'groups: [Platform-Admins, Security]\n      count: 3');
      expect(lines(withEntries(people).problems)).toEqual([]);
    });

    it('durations out of range, a default above the maximum, and a pattern that is no regular expression', () => {
      const entry = `  - group: Auditors
    permissionSet: ReadOnly
    accounts: "*"
    maxDuration: PT10M
    approval: none
  - group: Auditors
    permissionSet: Developer
    accounts: "*"
    maxDuration: PT1H
    defaultDuration: PT2H
    pendingExpiry: PT200H
    justification: { pattern: '([a-z' }
    extensions: { count: 1, duration: PT1M }
    approval: none
`;
      expect(lines(withEntries(entry).problems)).toEqual([
        'eligibility.yaml:5:18: error: maxDuration is 10 min; it must be between 15 min and 168 h',
        'eligibility.yaml:11:22: error: defaultDuration is 2 h; it must be between 15 min and 1 h',
        'eligibility.yaml:12:20: error: pendingExpiry is 200 h; it must be between 5 min and 168 h',
        expect.stringMatching(/^eligibility\.yaml:13:31: error: justification\.pattern is not a valid regular expression/),
        'eligibility.yaml:14:39: error: extensions.duration is 1 min; it must be between 15 min and 168 h',
      ]);
    });

    it('an example that does not match its pattern, and an unknown permission set', () => {
      const entry = `  - group: Auditors
    permissionSet: Developper
    accounts: "*"
    maxDuration: PT1H
    justification: { pattern: '^OPS-[0-9]+$', example: 'ticket 12' }
    approval: none
`;
      expect(lines(withEntries(entry).problems)).toEqual([
        'eligibility.yaml:3:20: error: unknown permission set "Developper" (defined: Developer, ReadOnly)',
        'eligibility.yaml:6:56: error: justification.example "ticket 12" does not match justification.pattern',
      ]);
    });

    it('an approval of the wrong shape, naming the field', () => {
      expect(lines(withEntries(ENTRY.replace('groups: [Platform-Admins]', 'groups: []')).problems)).toEqual([
        'eligibility.yaml:7:15: error: eligibility[0].approval.groups: name at least one approver group (or say `approval: none` for self-service)',
      ]);
      expect(lines(withEntries(ENTRY.replace(/approval:\n.*\n/, 'approval: yes\n')).problems)).toEqual([
        'eligibility.yaml:6:15: error: eligibility[0].approval: approval must be "none" or {groups, count?, distinctGroups?}',
      ]);
    });

    it('an eligible permission set whose inline policy leaves no room for the denies of revoked grants', () => {
      const statements = Array.from(
        { length: 115 },
        (_, index) => `{"Effect":"Deny","Action":"s3:DeleteBucket${index}","Resource":"arn:aws:s3:::bucket-${index}"}`,
      );
      const { problems } = loadPolicy(
        filesWith({
          'policies/deny.json': `{"Version":"2012-10-17","Statement":[${statements.join(',')}]}`,
          'eligibility.yaml': `eligibility:\n${ENTRY}`,
        }),
      );
      expect(lines(problems)).toEqual([
        expect.stringMatching(
          /^eligibility\.yaml:3:20: error: the inline policy of Developer is 9,\d{3} bytes; an eligible permission set must keep it under 9,216/,
        ),
      ]);
    });

    it('one group listed twice for one pair (which rule would apply?)', () => {
      const twice = `${ENTRY}${ENTRY.replace('PT2H', 'PT1H')}`;
      expect(lines(withEntries(twice).problems)).toEqual([
        'eligibility.yaml:8:5: error: "Auditors" is already eligible for Developer in payments-prod (eligibility.yaml entry 1): one rule per group and pair',
      ]);
    });
  });

  it('warns about an entry whose group has the pair standing anyway', () => {
    const entry = ENTRY.replace('permissionSet: Developer', 'permissionSet: ReadOnly');
    const { policy, problems } = withEntries(entry);
    expect(policy).toBeDefined();
    expect(lines(problems)).toEqual([
      'eligibility.yaml:2:5: warning: "Auditors" already has ReadOnly in payments-prod standing (assignments): this entry never applies to them there',
    ]);
  });
});
