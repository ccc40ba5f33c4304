import { describe, expect, it, vi } from 'vitest';
import { elevationHarness, elevationPolicy, eligibilityEntry, PEOPLE, PROD, DEV } from '../../test/fixtures/elevation.ts';
import { pairKey } from '../../shared/policy/pair.ts';
import { ElevationRefused } from './elevation.ts';

const ADMIN = { accountId: PROD, permissionSet: 'Admin' };
const ask = { ...ADMIN, justification: 'OPS-42' };

async function refusal(work: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ElevationRefused) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('asking', () => {
  it('makes a pending request with the default duration, audited, and refuses a second one for the covered pair naming the first', async () => {
    const { elevation, events } = elevationHarness();
    const request = await elevation.create(PEOPLE.eve, ask);
    expect(request).toMatchObject({
      state: 'pending',
      durationSeconds: 3600,
      approvalsNeeded: 1,
      justification: 'OPS-42',
      rule: { group: 'Engineers' },
    });
    expect(events.map((event) => [event.change, event.actor?.id])).toEqual([['requested', PEOPLE.eve.id]]);
    const second = await refusal(elevation.create(PEOPLE.eve, ask));
    expect(second.kind).toBe('conflict');
    expect(second.message).toContain(`you already have request ${request.id}`);
  });

  it('refuses durations out of the rule, a missing or non-matching justification, pairs not eligible, and standing pairs', async () => {
    const { elevation } = elevationHarness();
    expect(await refusal(elevation.create(PEOPLE.eve, { ...ask, durationSeconds: 3 * 3600 }))).toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('2 h'),
    });
    expect(await refusal(elevation.create(PEOPLE.eve, { ...ask, durationSeconds: 600 }))).toMatchObject({ kind: 'bad_request' });
    expect(await refusal(elevation.create(PEOPLE.eve, { ...ADMIN }))).toMatchObject({
      kind: 'bad_request',
      message: 'a justification is required (for example "OPS-1")',
    });
    expect(await refusal(elevation.create(PEOPLE.eve, { ...ADMIN, justification: 'because' }))).toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('must match'),
    });
    expect(await refusal(elevation.create(PEOPLE.eve, { accountId: DEV, permissionSet: 'Admin', justification: 'OPS-1' }))).toMatchObject({
      kind: 'forbidden',
    });
    expect(await refusal(elevation.create(PEOPLE.abe, ask))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(elevation.create(PEOPLE.eve, { accountId: PROD, permissionSet: 'ReadOnly' }))).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('standing'),
    });
  });

  it('self-service (approval: none) is active at once, for the duration asked', async () => {
    const { elevation, events } = elevationHarness(elevationPolicy([eligibilityEntry({ approval: { kind: 'none' } })]));
    const request = await elevation.create(PEOPLE.eve, { ...ask, durationSeconds: 1800 });
    expect(request).toMatchObject({ state: 'active', approvalsNeeded: 0 });
    expect(Date.parse(request.endsAt!) - Date.parse(request.startedAt!)).toBe(1_800_000);
    expect(events.map((event) => event.change)).toEqual(['granted']);
  });
});

describe('approving', () => {
  it('the requester never approves their own request, even as a member of an approver group', async () => {
    const { elevation } = elevationHarness();
    const request = await elevation.create(PEOPLE.erin, ask);
    expect(await refusal(elevation.approve(PEOPLE.erin, request.id, undefined))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('your own request'),
    });
    // Not by another spelling of their id either.
    expect(await refusal(elevation.approve({ ...PEOPLE.erin, id: PEOPLE.erin.id.toUpperCase() }, request.id, undefined))).toMatchObject({
      kind: 'forbidden',
    });
    expect(await elevation.approvable(PEOPLE.erin)).toEqual([]);
  });

  it("reads the approver's groups from the directory when they approve: a sign-in from before they left the group does not count", async () => {
    const { elevation, directory } = elevationHarness();
    const request = await elevation.create(PEOPLE.eve, ask);
    directory.set(PEOPLE.abe.id, []);
    // abe's sign-in still says Approvers.
    expect((await elevation.approvable(PEOPLE.abe)).map((r) => r.id)).toEqual([request.id]);
    expect(await refusal(elevation.approve(PEOPLE.abe, request.id, undefined))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('does not have you'),
    });
    directory.delete(PEOPLE.abe.id);
    expect(await refusal(elevation.approve(PEOPLE.abe, request.id, undefined))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('no longer has you'),
    });
    // And the other way round: a person added to an approver group since they signed in may approve.
    directory.set(PEOPLE.olga.id, ['Security']);
    expect((await elevation.approve(PEOPLE.olga, request.id, 'ok')).state).toBe('active');
  });

  it('counts each approval from a different person, and with distinctGroups from a different group', async () => {
    const entry = eligibilityEntry({ approval: { kind: 'approvers', groups: ['Approvers', 'Security'], count: 2, distinctGroups: true } });
    const { elevation, events } = elevationHarness(elevationPolicy([entry]));
    const request = await elevation.create(PEOPLE.eve, ask);
    expect((await elevation.approve(PEOPLE.abe, request.id, undefined)).state).toBe('pending');
    expect(await refusal(elevation.approve(PEOPLE.abe, request.id, undefined))).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('already approved'),
    });
    // ann is in Approvers too, which already counted.
    expect(await refusal(elevation.approve(PEOPLE.ann, request.id, undefined))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('already counted'),
    });
    const granted = await elevation.approve(PEOPLE.sam, request.id, 'looked at OPS-42');
    expect(granted.state).toBe('active');
    expect(granted.approvals.map((approval) => [approval.by.id, approval.group])).toEqual([
      [PEOPLE.abe.id, 'Approvers'],
      [PEOPLE.sam.id, 'Security'],
    ]);
    expect(events.map((event) => event.change)).toEqual(['requested', 'approved', 'granted']);
  });

  it('of two approvers racing for the last approval, or an approval racing a cancel, exactly one wins', async () => {
    const { elevation } = elevationHarness();
    const first = await elevation.create(PEOPLE.eve, ask);
    const race = await Promise.allSettled([elevation.approve(PEOPLE.abe, first.id, undefined), elevation.cancel(PEOPLE.eve, first.id, undefined)]);
    expect(race.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = race.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ElevationRefused);

    const { elevation: other } = elevationHarness();
    const second = await other.create(PEOPLE.eve, ask);
    const approvals = await Promise.allSettled([other.approve(PEOPLE.abe, second.id, undefined), other.approve(PEOPLE.sam, second.id, undefined)]);
    const winners = approvals.filter((outcome) => outcome.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect((await other.get(PEOPLE.eve, second.id)).approvals).toHaveLength(1);
  });

  it('follows the policy as it is when approving: a pair no longer eligible cannot be approved', async () => {
    const harness = elevationHarness();
    const request = await harness.elevation.create(PEOPLE.eve, ask);
    harness.setPolicy(elevationPolicy([]));
    expect(await refusal(harness.elevation.approve(PEOPLE.abe, request.id, undefined))).toMatchObject({ kind: 'conflict' });
  });
});

describe('a grant', () => {
  async function granted(harness = elevationHarness()) {
    const request = await harness.elevation.create(PEOPLE.eve, ask);
    await harness.elevation.approve(PEOPLE.abe, request.id, undefined);
    return { harness, request };
  }

  it('lets clicks through for min(permission set, time left) and ends by itself', async () => {
    const { harness } = await granted();
    const session = await harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 4 * 3600);
    expect(session.seconds).toBe(3600 - 30);
    harness.advance(3600 - 900 - 30);
    expect((await harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 4 * 3600)).seconds).toBe(900);
    harness.advance(1);
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 4 * 3600))).toMatchObject({
      kind: 'grant_ending',
      message: expect.stringContaining('AWS gives no session shorter than 15 min'),
    });
    harness.advance(3600);
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 4 * 3600))).toMatchObject({ kind: 'grant_required' });
    expect((await harness.elevation.mine(PEOPLE.eve)).map((r) => r.state)).toEqual(['ended']);
    expect(harness.events.at(-1)?.change).toBe('ended');
  });

  it('covers only its own person and pair: nobody else rides on it', async () => {
    const { harness } = await granted();
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.erin, ADMIN, 3600))).toMatchObject({ kind: 'grant_required' });
  });

  it('is refused a click while pending, and a revocation refuses new clicks at once and asks the reconciler to deny live sessions', async () => {
    const harness = elevationHarness();
    const request = await harness.elevation.create(PEOPLE.eve, ask);
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 3600))).toMatchObject({
      kind: 'grant_required',
      message: expect.stringContaining('waiting for approval'),
    });
    await harness.elevation.approve(PEOPLE.abe, request.id, undefined);
    await harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 3600);
    // Only the requester or an approver (as the directory has them now) may revoke.
    expect(await refusal(harness.elevation.revoke(PEOPLE.olga, request.id, 'no'))).toMatchObject({ kind: 'forbidden' });
    const revoked = await harness.elevation.revoke(PEOPLE.sam, request.id, 'incident over');
    expect(revoked).toMatchObject({ state: 'revoked', closed: { by: { id: PEOPLE.sam.id }, reason: 'incident over' } });
    expect(harness.revoked.map((r) => r.id)).toEqual([request.id]);
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 3600))).toMatchObject({ kind: 'grant_required' });
    // The pair is free again: a new request may be made.
    expect((await harness.elevation.create(PEOPLE.eve, ask)).state).toBe('pending');
  });

  it('extends as often and by as much as the rule allows, and then no more', async () => {
    const { harness, request } = await granted();
    const before = (await harness.elevation.get(PEOPLE.eve, request.id)).endsAt!;
    expect(await refusal(harness.elevation.extend(PEOPLE.abe, request.id, {}))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(harness.elevation.extend(PEOPLE.eve, request.id, { durationSeconds: 3600 }))).toMatchObject({ kind: 'bad_request' });
    const extended = await harness.elevation.extend(PEOPLE.eve, request.id, {});
    expect(Date.parse(extended.endsAt!) - Date.parse(before)).toBe(1_800_000);
    expect(await refusal(harness.elevation.extend(PEOPLE.eve, request.id, {}))).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('extension'),
    });
    // Granted for 1 h, extended by 30 min: an hour later, 30 min are left.
    harness.advance(3600);
    expect((await harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 4 * 3600)).seconds).toBe(1800 - 30);
  });

  it('of two people granted the same pair, ending one grant leaves the other', async () => {
    const harness = elevationHarness();
    const eves = await harness.elevation.create(PEOPLE.eve, ask);
    const erins = await harness.elevation.create(PEOPLE.erin, ask);
    await harness.elevation.approve(PEOPLE.abe, eves.id, undefined);
    await harness.elevation.approve(PEOPLE.abe, erins.id, undefined);
    await harness.elevation.revoke(PEOPLE.eve, eves.id, 'done early');
    expect(await refusal(harness.elevation.sessionFor(PEOPLE.eve, ADMIN, 3600))).toMatchObject({ kind: 'grant_required' });
    expect((await harness.elevation.sessionFor(PEOPLE.erin, ADMIN, 3600)).grantId).toBe(erins.id);
  });
});

describe('seeing requests', () => {
  it('shows a request to its requester and the approvers of its pair, and to nobody else (404)', async () => {
    const { elevation } = elevationHarness();
    const request = await elevation.create(PEOPLE.eve, ask);
    expect((await elevation.get(PEOPLE.eve, request.id)).id).toBe(request.id);
    expect((await elevation.get(PEOPLE.sam, request.id)).id).toBe(request.id);
    expect(await refusal(elevation.get(PEOPLE.olga, request.id))).toMatchObject({ kind: 'not_found' });
    expect(await refusal(elevation.get({ ...PEOPLE.eve, id: 'ed@corp.example.com' }, request.id))).toMatchObject({ kind: 'not_found' });
    expect(await elevation.approvable(PEOPLE.olga)).toEqual([]);
  });

  it("reads a person's open requests in one query, however many pairs they may ask for", async () => {
    const accounts = Array.from({ length: 300 }, (_, i) => String(100_000_000_000 + i));
    const policy = elevationPolicy([
      eligibilityEntry({ accounts: { ids: accounts }, approval: { kind: 'none' }, justification: { required: false } }),
    ]);
    policy.accounts = accounts.map((id) => ({ id, name: `account-${id}`, tags: {}, regions: ['eu-west-1'] }));
    const { elevation, table, advance } = elevationHarness(policy);
    const granted = await elevation.create(PEOPLE.eve, { accountId: accounts[7]!, permissionSet: 'Admin' });
    const othersGrant = await elevation.create(PEOPLE.erin, { accountId: accounts[9]!, permissionSet: 'Admin' });
    const gets = vi.spyOn(table, 'get');
    const queries = vi.spyOn(table, 'query');

    const open = await elevation.openOf(PEOPLE.eve);

    expect([...open.keys()]).toEqual([pairKey({ accountId: accounts[7]!, permissionSet: 'Admin' })]);
    expect(open.get(pairKey(granted))?.id).toBe(granted.id);
    expect(open.has(pairKey(othersGrant))).toBe(false);
    expect(queries).toHaveBeenCalledTimes(1);
    expect(gets).toHaveBeenCalledTimes(1);
    advance(granted.durationSeconds + 1);
    expect((await elevation.openOf(PEOPLE.eve)).size).toBe(0);
  });

  it('a pending request expires by itself and is then neither approvable nor approved', async () => {
    const harness = elevationHarness();
    const request = await harness.elevation.create(PEOPLE.eve, ask);
    harness.advance(3600);
    expect(await harness.elevation.approvable(PEOPLE.abe)).toEqual([]);
    expect(await refusal(harness.elevation.approve(PEOPLE.abe, request.id, undefined))).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('expired'),
    });
    expect((await harness.elevation.mine(PEOPLE.eve))[0]?.state).toBe('expired');
    expect((await harness.elevation.create(PEOPLE.eve, ask)).state).toBe('pending');
  });
});
