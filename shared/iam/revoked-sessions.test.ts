import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, test } from 'vitest';
import { liveRevocations, REVOCATION_DENY_SECONDS, revocationsIn, withRevokedSessions, type SessionRevocation } from './revoked-sessions.ts';
import { MAX_INLINE_POLICY_CHARS } from './limits.ts';
import { policySize } from './policy-document.ts';

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/switchyard/Switchyard-Developer`;
const REVOKED_AT = '2026-01-05T10:00:00.000Z';
const before = '2026-01-05T09:30:00Z';
const after = '2026-01-05T10:00:05Z';

/** What the role's own permissions allow: everything, so only the deny can refuse. */
const permissionSet = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Asks the simulator whether a session of this role, with this session name and issue time, may list buckets. */
async function decide(inline: unknown, session: { name: string; issued: string }) {
  const simulation: Simulation = {
    identityPolicies: [{ name: 'switchyard-inline', policy: inline as Record<string, unknown> }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: 's3:ListAllMyBuckets',
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/Switchyard-Developer/${session.name}`,
      resource: { accountId: ACCOUNT, resource: '*' },
      contextVariables: {
        'aws:userid': `AROAEXAMPLEROLEID1234:${session.name}`,
        'aws:TokenIssueTime': session.issued,
        'aws:PrincipalArn': ROLE,
      },
    },
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const bob: SessionRevocation = { sessionName: 'bob@corp.example.com', revokedAt: REVOKED_AT };

describe('the deny a revocation adds to the role', () => {
  const inline = withRevokedSessions(permissionSet, [bob]);

  test("denies the revoked person's sessions issued before the revocation", async () => {
    expect(await decide(permissionSet, { name: 'bob@corp.example.com+abcdefghijkl', issued: before })).toBe('Allowed');
    expect(await decide(inline, { name: 'bob@corp.example.com+abcdefghijkl', issued: before })).toBe('ExplicitlyDenied');
    // Within the revocation's second too (the limit is rounded up).
    expect(await decide(inline, { name: 'bob@corp.example.com+abcdefghijkl', issued: '2026-01-05T09:59:59.900Z' })).toBe('ExplicitlyDenied');
  });

  test("leaves the same person's sessions issued after it (a new grant, standing access)", async () => {
    expect(await decide(inline, { name: 'bob@corp.example.com+abcdefghijkl', issued: after })).toBe('Allowed');
  });

  test("leaves everybody else's sessions, also a person whose id only starts like the revoked one's", async () => {
    expect(await decide(inline, { name: 'alice@corp.example.com+abcdefghijkl', issued: before })).toBe('Allowed');
    expect(await decide(inline, { name: 'bob@corp.example.com.evil+abcdefghijkl', issued: before })).toBe('Allowed');
    expect(await decide(inline, { name: 'bob@corp.example.com+x+abcdefghijkl', issued: before })).toBe('Allowed');
    expect(await decide(inline, { name: 'xbob@corp.example.com+abcdefghijkl', issued: before })).toBe('Allowed');
  });

  test("keeps the permission set's own statements, and is read back from the role as it was written", () => {
    expect((inline?.Statement as unknown[])[0]).toEqual(permissionSet.Statement[0]);
    expect(revocationsIn(inline)).toEqual([bob]);
    expect(withRevokedSessions(inline, revocationsIn(inline))).toEqual(inline);
  });

  test('falls back to one statement for all when one each would not fit the inline policy quota, and still denies them all', async () => {
    const many = Array.from({ length: 60 }, (_, index) => ({ sessionName: `person-${index}@corp.example.com`, revokedAt: REVOKED_AT }));
    const fitted = withRevokedSessions(permissionSet, many);
    expect(policySize(fitted)).toBeLessThanOrEqual(MAX_INLINE_POLICY_CHARS);
    expect(fitted?.Statement).toHaveLength(2);
    expect(await decide(fitted, { name: 'person-42@corp.example.com+abcdefghijkl', issued: before })).toBe('ExplicitlyDenied');
    expect(await decide(fitted, { name: 'alice@corp.example.com+abcdefghijkl', issued: before })).toBe('Allowed');
    expect(revocationsIn(fitted)).toHaveLength(60);
  });
});

describe('which revocations are in force', () => {
  const at = Date.parse(REVOKED_AT);

  test('one per person, the latest; dropped once no session from before it can be alive (12 h)', () => {
    const earlier = { ...bob, revokedAt: '2026-01-05T09:00:00.000Z' };
    expect(liveRevocations([earlier, bob], at + 1000)).toEqual([bob]);
    expect(liveRevocations([bob], at + REVOCATION_DENY_SECONDS * 1000 - 1)).toEqual([bob]);
    expect(liveRevocations([bob], at + REVOCATION_DENY_SECONDS * 1000)).toEqual([]);
  });

  test('a revocation read back from a role that claims to be far in the future is not believed', () => {
    expect(liveRevocations([{ ...bob, revokedAt: '2027-01-01T00:00:00.000Z' }], at)).toEqual([]);
  });

  test('a role without revocations keeps its inline policy exactly (or none)', () => {
    expect(withRevokedSessions(permissionSet, [])).toBe(permissionSet);
    expect(withRevokedSessions(undefined, [])).toBeUndefined();
    expect(withRevokedSessions(undefined, [bob])?.Statement).toHaveLength(1);
  });
});
