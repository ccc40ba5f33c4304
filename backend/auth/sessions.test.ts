import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStateTable } from '../state/memory-state-table.ts';
import { classifyRefresh } from './refresh-rotation.ts';
import { stateSessionFamilies } from './session-families.ts';
import { staticKeyRing } from './session-keys.ts';
import { makeSessionTokens } from './session-tokens.ts';
import { makeSessions, RefreshRefused, type RefreshClient, type Sessions } from './sessions.ts';

const alice = { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] };
const TAB: RefreshClient = { sourceIp: '192.0.2.10', userAgent: 'Chrome/131' };
const THIEF: RefreshClient = { sourceIp: '198.51.100.7', userAgent: 'Chrome/131' };

function world(graceSeconds = 30) {
  const clock = { now: Date.UTC(2026, 11, 6, 9) };
  const table = new MemoryStateTable({ now: () => clock.now });
  const now = () => new Date(clock.now);
  const sessions = makeSessions({
    tokens: makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600, now }),
    families: stateSessionFamilies(table),
    signInSeconds: 8 * 3600,
    reuseGraceSeconds: graceSeconds,
    now,
  });
  return { clock, table, sessions };
}

async function signIn(sessions: Sessions) {
  return sessions.begin({ user: alice, source: 'directory', refresh: { subject: 'guid-1', accountName: 'alice', passwordVersion: '1' } });
}

/** A refresh as the route makes it: redeem, then renew. */
async function refresh(sessions: Sessions, refreshToken: string | undefined, client: RefreshClient) {
  const redeemed = await sessions.redeem(refreshToken ?? '', client);
  if (!redeemed.ok) throw new RefreshRefused(redeemed.reason, redeemed.endedNow);
  return sessions.renew(redeemed.grant, alice, client);
}

describe('sessions: refresh tokens are good once', () => {
  it('trades each refresh token for the next generation of the same sign-in', async () => {
    const { sessions } = world();
    const signedIn = await signIn(sessions);
    const first = await refresh(sessions, signedIn.refreshToken, TAB);
    const second = await refresh(sessions, first.refreshToken, TAB);
    expect((await sessions.grantOf(second.refreshToken ?? ''))?.generation).toBe(2);
    expect(second.refreshExpiresAt).toEqual(signedIn.refreshExpiresAt);
    expect(await sessions.check(second.token)).toMatchObject({ user: alice });
  });

  it('ends the whole sign-in when a traded token comes back from another client', async () => {
    const { sessions } = world();
    const signedIn = await signIn(sessions);
    const current = await refresh(sessions, signedIn.refreshToken, TAB);
    expect(await sessions.redeem(signedIn.refreshToken ?? '', THIEF)).toEqual({ ok: false, reason: 'refresh-reused', endedNow: true });
    expect(await sessions.redeem(current.refreshToken ?? '', TAB)).toEqual({ ok: false, reason: 'refresh-reused', endedNow: false });
    expect(await sessions.check(current.token)).toBeNull();
    expect(await sessions.check(signedIn.token)).toBeNull();
  });

  it('gives the same client the same next generation within the grace period, and ends the sign-in after it', async () => {
    const { clock, sessions } = world(30);
    const signedIn = await signIn(sessions);
    const current = await refresh(sessions, signedIn.refreshToken, TAB);
    clock.now += 29_000;
    const twin = await refresh(sessions, signedIn.refreshToken, TAB);
    expect((await sessions.grantOf(twin.refreshToken ?? ''))?.generation).toBe(1);
    clock.now += 2000;
    await expect(refresh(sessions, signedIn.refreshToken, TAB)).rejects.toMatchObject({ reason: 'refresh-reused', endedNow: true });
    expect(await sessions.check(current.token)).toBeNull();
  });

  it('lets two refreshes of one client at once both succeed, on one generation', async () => {
    const { sessions } = world();
    const signedIn = await signIn(sessions);
    const both = await Promise.all([refresh(sessions, signedIn.refreshToken, TAB), refresh(sessions, signedIn.refreshToken, TAB)]);
    const generations = await Promise.all(both.map(async (issued) => (await sessions.grantOf(issued.refreshToken ?? ''))?.generation));
    expect(generations).toEqual([1, 1]);
    const next = await refresh(sessions, both[1]?.refreshToken, TAB);
    expect(await sessions.check(next.token)).not.toBeNull();
  });

  it('ends the sign-in when two clients race with one token: the loser is a copy', async () => {
    const { sessions } = world();
    const signedIn = await signIn(sessions);
    const results = await Promise.allSettled([refresh(sessions, signedIn.refreshToken, TAB), refresh(sessions, signedIn.refreshToken, THIEF)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results.find((result) => result.status === 'fulfilled');
    expect(await sessions.check(winner?.status === 'fulfilled' ? winner.value.token : '')).toBeNull();
  });

  it('refuses a token after sign-out, and a token of a sign-in it does not know', async () => {
    const { sessions } = world();
    const signedIn = await signIn(sessions);
    const grant = await sessions.grantOf(signedIn.refreshToken ?? '');
    await sessions.end(grant?.sid ?? '');
    expect(await sessions.redeem(signedIn.refreshToken ?? '', TAB)).toEqual({ ok: false, reason: 'signed-out', endedNow: false });
    expect(await sessions.grantOf(signedIn.refreshToken ?? '')).toBeNull();
    expect(await sessions.check(signedIn.token)).toBeNull();
    // Another deployment's table (or a sign-in older than the table's item): unknown, refused as invalid.
    const elsewhere = world();
    expect((await elsewhere.sessions.redeem(signedIn.refreshToken ?? '', TAB)).ok).toBe(false);
  });

  it('ends a sign-in without a refresh token too (no service account): its access token stops at sign-out', async () => {
    const { sessions } = world();
    const signedIn = await sessions.begin({ user: alice, source: 'directory' });
    const claims = await sessions.check(signedIn.token);
    expect(claims).not.toBeNull();
    await sessions.end(claims?.sid ?? '');
    expect(await sessions.check(signedIn.token)).toBeNull();
  });
});

describe('classifyRefresh', () => {
  const family = { generation: 4, rotatedAt: 1_000_000, rotatedBy: 'tab' };
  const at = (generation: number, client = 'tab', now = 1_010_000) => classifyRefresh(family, { generation, client, now, graceMs: 30_000 });

  it('trades the current generation, answers the twin of the same client with the next, and calls everything else reuse', () => {
    expect(at(4)).toEqual({ kind: 'current' });
    expect(at(3)).toEqual({ kind: 'just-traded', next: 4 });
    expect(at(3, 'other')).toEqual({ kind: 'reused' });
    expect(at(3, 'tab', 1_030_001)).toEqual({ kind: 'reused' });
    expect(at(2)).toEqual({ kind: 'reused' });
    expect(at(5)).toEqual({ kind: 'reused' });
  });

  it('reports an ended sign-in before anything else, and an unknown one', () => {
    expect(classifyRefresh({ ...family, ended: { reason: 'locked-out', at: 1 } }, { generation: 4, client: 'tab', now: 0, graceMs: 0 })).toEqual({
      kind: 'ended',
      reason: 'locked-out',
    });
    expect(classifyRefresh(undefined, { generation: 0, client: 'tab', now: 0, graceMs: 0 })).toEqual({ kind: 'unknown' });
  });
});
