import { randomBytes } from 'node:crypto';
import { EncryptJWT, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { deriveKey, loadedKeyRing, staticKeyRing, type SessionKey } from './session-keys.ts';
import { makeSessionTokens } from './session-tokens.ts';

const user = { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] };
const claims = { user, source: 'directory' as const, sid: 'session-1' };
const key = (kid: string): SessionKey => ({ kid, secret: new Uint8Array(randomBytes(32)) });

describe('session tokens', () => {
  it('round-trips the person, the sign-in source and the session id, under a key id', async () => {
    const tokens = makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600 });
    const { token } = await tokens.issueAccess(claims);
    expect(decodeProtectedHeader(token).kid).toMatch(/^k-[0-9a-f]{12}$/);
    expect(await tokens.verifyAccess(token)).toEqual(claims);
  });

  it('ends an access token at its lifetime or at the end of the sign-in, whichever is first', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const tokens = makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600, now: () => now });
    expect((await tokens.issueAccess(claims)).expiresAt.toISOString()).toBe('2026-01-01T00:10:00.000Z');
    const short = await tokens.issueAccess(claims, new Date('2026-01-01T00:02:00Z'));
    expect(short.expiresAt.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    now = new Date('2026-01-01T00:02:01Z');
    expect(await tokens.verifyAccess(short.token)).toBeNull();
  });

  it('rejects forged, malformed and unknown-key tokens', async () => {
    const tokens = makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600 });
    const other = makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600 });
    expect(await tokens.verifyAccess((await other.issueAccess(claims)).token)).toBeNull();
    expect(await tokens.verifyAccess('not-a-jwt')).toBeNull();
    const { token } = await tokens.issueAccess(claims);
    const [header, payload] = token.split('.');
    const unsigned = `${header}.${payload}.`;
    expect(await tokens.verifyAccess(unsigned)).toBeNull();
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: decodeProtectedHeader(token).kid })).toString('base64url')}.${payload}.`;
    expect(await tokens.verifyAccess(none)).toBeNull();
  });

  it('keeps refresh tokens unreadable and unusable as access tokens', async () => {
    const tokens = makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600 });
    const expiresAt = new Date(Date.now() + 3600_000);
    const refresh = await tokens.issueRefresh({
      sid: 's',
      source: 'cognito',
      expiresAt,
      generation: 3,
      subject: 'sub-1',
      upstreamRefreshToken: 'pool-secret',
      clientId: 'c1',
      poolUsername: 'alice',
    });
    expect(refresh.split('.')).toHaveLength(5);
    expect(Buffer.from(refresh.split('.')[2] ?? '', 'base64url').toString('latin1')).not.toContain('pool-secret');
    expect(refresh).not.toContain(Buffer.from('pool-secret').toString('base64url'));
    expect(await tokens.verifyRefresh(refresh)).toEqual({
      sid: 's',
      source: 'cognito',
      expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000),
      generation: 3,
      subject: 'sub-1',
      upstreamRefreshToken: 'pool-secret',
      clientId: 'c1',
      poolUsername: 'alice',
    });
    expect(await tokens.verifyAccess(refresh)).toBeNull();
    expect(await tokens.verifyRefresh((await tokens.issueAccess(claims)).token)).toBeNull();
  });

  it('refuses a refresh token that names no generation or no subject (made before sessions were bound)', async () => {
    const secret = randomBytes(32);
    const tokens = makeSessionTokens(staticKeyRing(secret), { accessSeconds: 600 });
    const grant = { sid: 's', source: 'directory' as const, expiresAt: new Date(Date.now() + 3600_000), accountName: 'alice', passwordVersion: '1' };
    const bound = await tokens.issueRefresh({ ...grant, generation: 0, subject: 'guid-1' });
    expect(await tokens.verifyRefresh(bound)).toMatchObject({ generation: 0, subject: 'guid-1', passwordVersion: '1' });
    // The older form, encrypted with the same key: no `gen`, no `sub`.
    const kid = decodeProtectedHeader(bound).kid ?? '';
    const older = await new EncryptJWT({ sid: 's', src: 'directory', acct: 'alice' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
      .setIssuer('switchyard')
      .setAudience('switchyard-refresh')
      .setExpirationTime('1h')
      .encrypt(deriveKey(secret, 'refresh-token'));
    expect(await tokens.verifyRefresh(older)).toBeNull();
  });

  it('verifies tokens of an older key after a rotation, and signs with the newest', async () => {
    const old = key('2026-01');
    const fresh = key('2026-04');
    let stored = [old];
    const ring = loadedKeyRing(async () => stored, { maxAgeMs: 0 });
    const tokens = makeSessionTokens(ring, { accessSeconds: 600 });
    const before = await tokens.issueAccess(claims);
    stored = [fresh, old];
    const after = await tokens.issueAccess(claims);
    expect(decodeProtectedHeader(before.token).kid).toBe('2026-01');
    expect(decodeProtectedHeader(after.token).kid).toBe('2026-04');
    expect(await tokens.verifyAccess(before.token)).toEqual(claims);
    stored = [fresh];
    expect(await tokens.verifyAccess(before.token)).toBeNull();
    expect(await tokens.verifyAccess(after.token)).toEqual(claims);
  });

  it('hashes user names with a key: stable per key, not the name, case-insensitive', async () => {
    const ring = staticKeyRing(randomBytes(32));
    const tokens = makeSessionTokens(ring, { accessSeconds: 600 });
    const hash = await tokens.hashName('Alice');
    expect(hash).toBe(await tokens.hashName(' alice '));
    expect(hash).not.toContain('alice');
    expect(hash).not.toBe(await makeSessionTokens(staticKeyRing(randomBytes(32)), { accessSeconds: 600 }).hashName('alice'));
  });

  it('refuses a short secret', () => {
    expect(() => staticKeyRing(randomBytes(8))).toThrow(/32 bytes/);
  });
});
