/**
 * Property-based tests of elevation: random sequences of requests, approvals, denials, cancels, revocations,
 * extensions, people leaving and joining groups, time passing (expiries) and clicks, run against the
 * service over the in-memory state table. After every step, whatever the sequence:
 *   - no click gets through without a grant of that person for that pair, active and approved as its rule says;
 *   - no session ends after its grant, and a grant revoked later denies (reconciler) every session it gave;
 *   - no requester counts as their own approver, and approvals come from different people who were
 *     approvers, as the directory had them, when they approved;
 *   - a person holds at most one open request per pair.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samePerson, stateAt, type ElevationRequest } from '../../shared/elevation/request.ts';
import { groupMatches } from '../../shared/policy/group-names.ts';
import type { Person } from '../../shared/api/person.ts';
import { eligibilityEntry, elevationHarness, elevationPolicy, PEOPLE, PROD, DEV } from '../../test/fixtures/elevation.ts';
import { ElevationRefused } from './elevation.ts';
import { reconcileGrants } from './grants-at-reconcile.ts';
import { RequestStore } from './request-store.ts';

const POLICY = elevationPolicy([
  eligibilityEntry(),
  eligibilityEntry({
    accounts: { ids: [DEV] },
    approval: { kind: 'approvers', groups: ['Approvers', 'Security'], count: 2, distinctGroups: true },
    source: 'eligibility.yaml entry 2',
  }),
  eligibilityEntry({
    permissionSet: 'ReadOnly',
    group: 'Approvers',
    accounts: { ids: [DEV] },
    approval: { kind: 'none' },
    source: 'eligibility.yaml entry 3',
  }),
]);
const PAIRS = [
  { accountId: PROD, permissionSet: 'Admin', sessionSeconds: 4 * 3600 },
  { accountId: DEV, permissionSet: 'Admin', sessionSeconds: 4 * 3600 },
  { accountId: DEV, permissionSet: 'ReadOnly', sessionSeconds: 8 * 3600 },
];
const PERSONS: Person[] = Object.values(PEOPLE);
const GROUPS = ['Engineers', 'Approvers', 'Security'];

type Step =
  | { kind: 'request'; who: number; pair: number; minutes: number; justified: boolean }
  | { kind: 'approve' | 'deny' | 'revoke' | 'cancel' | 'extend'; who: number; request: number }
  | { kind: 'click'; who: number; pair: number }
  /** The requester of a request made earlier clicks its pair (granted or not). */
  | { kind: 'clickOwn'; request: number }
  | { kind: 'wait'; minutes: number }
  | { kind: 'join' | 'leave'; who: number; group: number };

const person = fc.nat(PERSONS.length - 1);
/** Requesters and approvers more often than bystanders, so sequences reach grants, clicks and revocations. */
const requester = fc.constantFrom(0, 1, 1, 2, 4);
const approver = fc.constantFrom(2, 3, 4, 1, 0, 5);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      who: requester,
      pair: fc.nat(PAIRS.length - 1),
      minutes: fc.integer({ min: 5, max: 150 }),
      justified: fc.constantFrom(true, true, true, true, false),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('approve' as const), who: approver, request: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('deny' as const, 'revoke' as const, 'cancel' as const, 'extend' as const),
      who: fc.oneof(person, requester),
      request: fc.nat(20),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('click' as const), who: requester, pair: fc.nat(PAIRS.length - 1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('clickOwn' as const), request: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), who: person, group: fc.nat(GROUPS.length - 1) }) },
);

/** What a sequence reached: a property that never meets a granted click or a revoked live session proves nothing. */
interface Reached {
  grantedClicks: number;
  refusedClicks: number;
  revokedLiveSessions: number;
  approvals: number;
}

interface Session {
  grantId: string;
  issuedAt: number;
  endsAt: number;
}

async function run(steps: Step[], reached: Reached): Promise<void> {
  const harness = elevationHarness(POLICY);
  const { elevation, directory } = harness;
  const store = new RequestStore(harness.table, 30 * 86_400, harness.now);
  const ids: string[] = [];
  const sessions: Session[] = [];
  const approverGroupsAt = new Map<string, string[]>();

  const expectRefusedOrOk = async (work: () => Promise<unknown>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ElevationRefused) return undefined;
      throw error;
    }
  };

  for (const current of steps) {
    const now = harness.now();
    switch (current.kind) {
      case 'request': {
        const pair = PAIRS[current.pair]!;
        const made = (await expectRefusedOrOk(() =>
          elevation.create(PERSONS[current.who]!, {
            accountId: pair.accountId,
            permissionSet: pair.permissionSet,
            durationSeconds: current.minutes * 60,
            ...(current.justified ? { justification: 'OPS-1' } : {}),
          }),
        )) as ElevationRequest | undefined;
        if (made) ids.push(made.id);
        break;
      }
      case 'approve': {
        const id = ids[current.request % Math.max(ids.length, 1)];
        if (!id) break;
        const approver = PERSONS[current.who]!;
        const groupsNow = [...(directory.get(approver.id) ?? [])];
        const approved = (await expectRefusedOrOk(() => elevation.approve(approver, id, undefined))) as ElevationRequest | undefined;
        if (approved) {
          approverGroupsAt.set(`${id}/${approver.id}`, groupsNow);
          reached.approvals++;
        }
        break;
      }
      case 'deny': {
        const id = ids[current.request % Math.max(ids.length, 1)];
        if (id) await expectRefusedOrOk(() => elevation.deny(PERSONS[current.who]!, id, 'no'));
        break;
      }
      case 'cancel': {
        const id = ids[current.request % Math.max(ids.length, 1)];
        if (id) await expectRefusedOrOk(() => elevation.cancel(PERSONS[current.who]!, id, undefined));
        break;
      }
      case 'revoke': {
        const id = ids[current.request % Math.max(ids.length, 1)];
        if (id) await expectRefusedOrOk(() => elevation.revoke(PERSONS[current.who]!, id, 'done'));
        break;
      }
      case 'extend': {
        const id = ids[current.request % Math.max(ids.length, 1)];
        if (id) await expectRefusedOrOk(() => elevation.extend(PERSONS[current.who]!, id, {}));
        break;
      }
      case 'click':
      case 'clickOwn': {
        let clicker = PERSONS[current.kind === 'click' ? current.who : 0]!;
        let pair = PAIRS[current.kind === 'click' ? current.pair : 0]!;
        if (current.kind === 'clickOwn') {
          const id = ids[current.request % Math.max(ids.length, 1)];
          const own = id ? (await store.get(id))?.request : undefined;
          if (!own) break;
          clicker = PERSONS.find((candidate) => candidate.id === own.requester.id)!;
          pair = PAIRS.find((candidate) => candidate.accountId === own.accountId && candidate.permissionSet === own.permissionSet)!;
        }
        const session = (await expectRefusedOrOk(() => elevation.sessionFor(clicker, pair, pair.sessionSeconds))) as
          { grantId: string; seconds: number; endsAt: string } | undefined;
        if (!session) {
          reached.refusedClicks++;
          break;
        }
        reached.grantedClicks++;
        // No click without a covering grant: the grant is this person's, for this pair, active and approved now.
        const grant = (await store.get(session.grantId))?.request;
        expect(grant).toBeDefined();
        expect(samePerson(grant!.requester, clicker)).toBe(true);
        expect([grant!.accountId, grant!.permissionSet]).toEqual([pair.accountId, pair.permissionSet]);
        expect(stateAt(grant!, now)).toBe('active');
        expect(grant!.approvals.length).toBeGreaterThanOrEqual(grant!.approvalsNeeded);
        // No session ends after its grant, and none is shorter than STS allows or longer than the permission set.
        expect(now + session.seconds * 1000).toBeLessThanOrEqual(Date.parse(grant!.endsAt!));
        expect(session.seconds).toBeGreaterThanOrEqual(900);
        expect(session.seconds).toBeLessThanOrEqual(pair.sessionSeconds);
        sessions.push({ grantId: grant!.id, issuedAt: now, endsAt: now + session.seconds * 1000 });
        break;
      }
      case 'wait':
        harness.advance(current.minutes * 60);
        break;
      case 'join':
      case 'leave': {
        const id = PERSONS[current.who]!.id;
        const groups = new Set(directory.get(id) ?? []);
        if (current.kind === 'join') groups.add(GROUPS[current.group]!);
        else groups.delete(GROUPS[current.group]!);
        directory.set(id, [...groups]);
        break;
      }
    }
    await checkEveryRecord();
  }

  async function checkEveryRecord(): Promise<void> {
    const now = harness.now();
    const records = (await Promise.all(ids.map((id) => store.get(id)))).map((stored) => stored!.request);
    const open = new Set<string>();
    for (const request of records) {
      // No requester counts as their own approver; each approval from a different person, in an approver group then.
      expect(request.approvals.some((approval) => samePerson(approval.by, request.requester))).toBe(false);
      expect(new Set(request.approvals.map((approval) => approval.by.id.toLowerCase())).size).toBe(request.approvals.length);
      for (const approval of request.approvals) {
        expect(groupMatches(approval.group, approverGroupsAt.get(`${request.id}/${approval.by.id}`) ?? [])).toBe(true);
      }
      if (request.approvalsNeeded > 0 && request.state === 'active') expect(request.approvals.length).toBe(request.approvalsNeeded);
      const state = stateAt(request, now);
      if (state === 'pending' || state === 'active') {
        const key = `${request.requester.id}/${request.accountId}/${request.permissionSet}`;
        expect(open.has(key), `two open requests for ${key}`).toBe(false);
        open.add(key);
      }
    }
    // A session of a grant revoked since: issued before the revocation, so the reconciler's deny covers it.
    const revocations = await reconcileGrants({ store, events: { record: async () => undefined } }).revocations(now);
    for (const session of sessions) {
      const grant = records.find((request) => request.id === session.grantId)!;
      if (grant.state !== 'revoked' || session.endsAt <= now) continue;
      // The role denies a person's sessions issued before their latest revocation in it (liveRevocations):
      // after a grant revoked, approved again and revoked again, the first revocation is not the one in force.
      const denied = revocations
        .filter(
          (revocation) =>
            revocation.sessionName === grant.requester.sessionName &&
            revocation.accountId === grant.accountId &&
            revocation.permissionSet === grant.permissionSet,
        )
        .sort((a, b) => Date.parse(b.revokedAt) - Date.parse(a.revokedAt))[0];
      expect(denied, `live session of revoked grant ${grant.id} without a deny`).toBeDefined();
      reached.revokedLiveSessions++;
      expect(session.issuedAt).toBeLessThanOrEqual(Date.parse(denied!.revokedAt));
    }
  }
}

describe('elevation, over random sequences of what people do', () => {
  it('lets no click through without a covering grant, no session outlive its grant, no requester approve their own request', async () => {
    const reached: Reached = { grantedClicks: 0, refusedClicks: 0, revokedLiveSessions: 0, approvals: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), async (steps) => run(steps, reached)),
      {
        numRuns: 300,
        examples: [
          // A grant revoked, asked for and approved again, clicked, and revoked again: the deny in force is the second.
          [
            [
              { kind: 'request', who: 1, pair: 0, minutes: 15, justified: true },
              { kind: 'approve', who: 2, request: 0 },
              { kind: 'revoke', who: 2, request: 0 },
              { kind: 'request', who: 1, pair: 0, minutes: 17, justified: true },
              { kind: 'approve', who: 2, request: 3 },
              { kind: 'wait', minutes: 1 },
              { kind: 'clickOwn', request: 0 },
              { kind: 'revoke', who: 2, request: 7 },
              { kind: 'approve', who: 2, request: 0 },
            ],
          ],
        ],
      },
    );
    // The sequences met what the properties are about, many times over.
    expect(reached.grantedClicks).toBeGreaterThan(80);
    expect(reached.refusedClicks).toBeGreaterThan(400);
    expect(reached.approvals).toBeGreaterThan(50);
    expect(reached.revokedLiveSessions).toBeGreaterThan(20);
  }, 120_000);
});
