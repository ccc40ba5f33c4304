/**
 * Sessions: what a sign-in starts, a refresh renews, every API call checks and sign-out ends.
 * A session is an id (`sid`), a short access token and, when the person can be read again without
 * their password, a refresh token valid until the sign-in ends (SWITCHYARD_SESSION_SECONDS). Each
 * refresh reads the person's groups again, so a removal from a group takes effect within one access
 * token's lifetime (SWITCHYARD_ACCESS_TOKEN_SECONDS, 10 minutes by default), and each refresh token is
 * good once: a refresh answers with the next one (refresh-rotation.ts). The sign-in's state (which
 * generation may be traded, whether it has ended) is one item in the state table (session-families.ts),
 * shared by every API instance.
 */
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { Person } from '../../shared/api/person.ts';
import { classifyRefresh, type Presented } from './refresh-rotation.ts';
import type { SessionEndReason } from './session-ends.ts';
import type { SessionFamilies } from './session-families.ts';
import { newSessionId, type AccessClaims, type RefreshGrant, type SessionTokens } from './session-tokens.ts';

export interface NewSession {
  user: Person;
  source: SignInMethod;
  /**
   * How to read the person again, and what the sign-in is bound to (`subject`: the directory's id of the
   * account, or the pool's `sub`); absent when the person cannot be read again (then no refresh token).
   */
  refresh?: Pick<RefreshGrant, 'subject' | 'passwordVersion' | 'accountName' | 'upstreamRefreshToken' | 'clientId' | 'poolUsername'>;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

/** Who presents a refresh token: the grace for two refreshes at once applies to one client only (refresh-rotation.ts). */
export interface RefreshClient {
  sourceIp?: string;
  userAgent?: string;
}

/** Why a refresh token was not taken: a forged, expired or unknown one (`invalid`), or the reason its sign-in ended. */
export type RefreshRefusal = 'invalid' | SessionEndReason;

export type Redeemed =
  | { ok: true; grant: RefreshGrant }
  /** `endedNow`: this very presentation ended the sign-in (a reused token). */
  | { ok: false; reason: RefreshRefusal; endedNow: boolean };

/** A refresh that cannot be renewed after all: its sign-in ended meanwhile, or this token was reused. */
export class RefreshRefused extends Error {
  override readonly name = 'RefreshRefused';
  constructor(
    readonly reason: RefreshRefusal,
    readonly endedNow: boolean,
  ) {
    super(`the refresh was refused (${reason})`);
  }
}

export interface Sessions {
  begin(session: NewSession): Promise<IssuedSession>;
  /** What a refresh token grants, whichever generation it is, or null when it is forged, expired or its sign-in ended (sign-out). */
  grantOf(refreshToken: string): Promise<RefreshGrant | null>;
  /**
   * A refresh token presented for trading: its grant when it may be traded now, or why not. A token
   * traded before ends the whole sign-in here (reuse), before anyone else is asked anything.
   */
  redeem(refreshToken: string, client?: RefreshClient): Promise<Redeemed>;
  /**
   * A new access token and the next refresh token of the same sign-in, with the person as read again;
   * retires the token `grant` came from. Throws RefreshRefused when the sign-in ended meanwhile or
   * another client traded the token first.
   */
  renew(grant: RefreshGrant, user: Person, client?: RefreshClient): Promise<IssuedSession>;
  /** The claims of a live access token, or null when it is forged, expired or its sign-in ended. */
  check(accessToken: string): Promise<AccessClaims | null>;
  /** Ends the sign-in: every token of it stops working on every instance. Ending an ended or unknown one is no error. */
  end(sessionId: string, reason?: SessionEndReason): Promise<void>;
  /** A keyed hash of a user name, for logs and failure counts. */
  hashName(name: string): Promise<string>;
}

export interface SessionsDeps {
  tokens: SessionTokens;
  families: SessionFamilies;
  /** How long a sign-in lasts at most: the refresh token's lifetime. */
  signInSeconds: number;
  /** How long the token traded last stays good for the client that traded it (refresh-rotation.ts). */
  reuseGraceSeconds: number;
  now?: () => Date;
}

/** A family changed by others this many times in a row while one refresh tried to write: give up (500). */
const MAX_RENEW_TRIES = 3;
/** Ended sign-ins remembered in memory: they never come back, so no read is needed for them. */
const REMEMBERED_ENDS = 10_000;

export function makeSessions(deps: SessionsDeps): Sessions {
  const now = deps.now ?? (() => new Date());
  const graceMs = deps.reuseGraceSeconds * 1000;
  const ended = new Set<string>();
  const rememberEnd = (sessionId: string) => {
    if (ended.size >= REMEMBERED_ENDS) ended.delete(ended.values().next().value as string);
    ended.add(sessionId);
  };

  const clientTag = (client: RefreshClient = {}) => deps.tokens.hashValue(`${client.sourceIp ?? '-'}\n${client.userAgent ?? '-'}`);

  async function presented(grant: RefreshGrant, client: RefreshClient | undefined) {
    const record = await deps.families.read(grant.sid);
    const verdict = classifyRefresh(record?.family, {
      generation: grant.generation,
      client: await clientTag(client),
      now: now().getTime(),
      graceMs,
    });
    return { record, verdict };
  }

  /** A refusal for `verdict`, ending the sign-in first when it is a reuse. */
  async function refusalOf(sessionId: string, verdict: Exclude<Presented, { kind: 'current' | 'just-traded' }>): Promise<RefreshRefused> {
    if (verdict.kind === 'reused') {
      await deps.families.end(sessionId, 'refresh-reused', now().getTime());
      rememberEnd(sessionId);
      return new RefreshRefused('refresh-reused', true);
    }
    if (verdict.kind === 'ended') rememberEnd(sessionId);
    return new RefreshRefused(verdict.kind === 'ended' ? verdict.reason : 'invalid', false);
  }

  async function issue(grant: RefreshGrant, user: Person, generation: number): Promise<IssuedSession> {
    const access = await deps.tokens.issueAccess({ user, source: grant.source, sid: grant.sid }, grant.expiresAt);
    return { ...access, refreshToken: await deps.tokens.issueRefresh({ ...grant, generation }), refreshExpiresAt: grant.expiresAt };
  }

  return {
    async begin(session) {
      const sid = newSessionId();
      const claims = { user: session.user, source: session.source, sid };
      // Whole seconds, as the token's `exp` holds it, so every answer of this session names the same instant.
      const refreshExpiresAt = new Date((Math.floor(now().getTime() / 1000) + deps.signInSeconds) * 1000);
      if (!session.refresh) {
        const access = await deps.tokens.issueAccess(claims);
        await deps.families.start(sid, access.expiresAt, now().getTime());
        return access;
      }
      await deps.families.start(sid, refreshExpiresAt, now().getTime());
      const refreshToken = await deps.tokens.issueRefresh({
        sid,
        source: session.source,
        expiresAt: refreshExpiresAt,
        generation: 0,
        ...session.refresh,
      });
      return { ...(await deps.tokens.issueAccess(claims, refreshExpiresAt)), refreshToken, refreshExpiresAt };
    },

    async grantOf(refreshToken) {
      const grant = await deps.tokens.verifyRefresh(refreshToken);
      if (!grant || ended.has(grant.sid)) return null;
      const record = await deps.families.read(grant.sid);
      return record && !record.family.ended ? grant : null;
    },

    async redeem(refreshToken, client) {
      const grant = await deps.tokens.verifyRefresh(refreshToken);
      if (!grant) return { ok: false, reason: 'invalid', endedNow: false };
      const { verdict } = await presented(grant, client);
      if (verdict.kind === 'current' || verdict.kind === 'just-traded') return { ok: true, grant };
      const refusal = await refusalOf(grant.sid, verdict);
      return { ok: false, reason: refusal.reason, endedNow: refusal.endedNow };
    },

    async renew(grant, user, client) {
      for (let attempt = 0; attempt < MAX_RENEW_TRIES; attempt++) {
        const { record, verdict } = await presented(grant, client);
        if (verdict.kind === 'just-traded') return issue(grant, user, verdict.next);
        if (verdict.kind !== 'current' || !record) throw await refusalOf(grant.sid, verdict.kind === 'current' ? { kind: 'unknown' } : verdict);
        const next = { generation: grant.generation + 1, rotatedAt: now().getTime(), rotatedBy: await clientTag(client) };
        if (await deps.families.advance(grant.sid, record, next)) return issue(grant, user, next.generation);
        // Another refresh (or a sign-out) wrote first: read again, and answer as that write says.
      }
      throw new Error(`the sign-in changed ${MAX_RENEW_TRIES} times while one refresh tried to renew it`);
    },

    async check(accessToken) {
      const claims = await deps.tokens.verifyAccess(accessToken);
      if (!claims || ended.has(claims.sid)) return null;
      const record = await deps.families.read(claims.sid);
      if (!record) return null;
      if (record.family.ended) {
        rememberEnd(claims.sid);
        return null;
      }
      return claims;
    },

    async end(sessionId, reason = 'signed-out') {
      await deps.families.end(sessionId, reason, now().getTime());
      rememberEnd(sessionId);
    },

    hashName: (name) => deps.tokens.hashName(name),
  };
}
