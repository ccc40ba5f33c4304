/**
 * Revocation ends live sessions (docs/elevation.md): a revoked grant's role gets, in its inline policy, a
 * statement denying everything to that person's sessions issued before the revocation. A session is the
 * person's by its name: role session names are `<person>+<click id>` (backend/broker/session-name.ts), so
 * `aws:userid` (`<role id>:<session name>`) matches `*:<person>+` and exactly CLICK_ID_LENGTH more
 * characters; `aws:TokenIssueTime` says when it was issued. New sessions (a new grant, standing access) are
 * not touched. No session lives longer than MAX_SESSION_SECONDS, so a statement is dropped that long after
 * its revocation: nothing it could deny is still alive.
 */
import { CLICK_ID_LENGTH } from '../naming.ts';
import { MAX_INLINE_POLICY_CHARS, MAX_SESSION_SECONDS } from './limits.ts';
import { policySize, type PolicyDocument } from './policy-document.ts';

/** One person's sessions of one role, issued before `revokedAt`, are denied. */
export interface SessionRevocation {
  /** The person's part of their role session names. */
  sessionName: string;
  /** ISO time; sessions issued before it are denied. */
  revokedAt: string;
}

/** Every revocation statement's Sid starts so; a number follows. */
export const REVOKED_SESSIONS_SID = 'SwitchyardRevokedSessions';
/** How long a revocation's statement stays on the role: the longest session there can be. */
export const REVOCATION_DENY_SECONDS = MAX_SESSION_SECONDS;
/**
 * Room an eligible permission set's inline policy must leave for revocation statements (policy validate
 * checks it): about four people's own statements, or one statement for twenty.
 */
export const REVOCATION_ROOM_CHARS = 1024;
/** Revocations this far in the future (clock skew) are believed when read back from a role; later ones are not ours. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** `*:<person>+????????????`: the person's sessions, and nobody else's (a longer person part cannot fit the fixed tail). */
export function sessionUserIdPattern(sessionName: string): string {
  return `*:${sessionName}+${'?'.repeat(CLICK_ID_LENGTH)}`;
}

/** The time as IAM's date condition takes it, rounded up to the second: a session issued within the revocation's second is denied too. */
function issueTimeLimit(revokedAt: string): string {
  return new Date(Math.ceil(Date.parse(revokedAt) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function revokedSessionsStatement(revocation: SessionRevocation, index: number): Record<string, unknown> {
  return {
    Sid: `${REVOKED_SESSIONS_SID}${index}`,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: {
      StringLike: { 'aws:userid': sessionUserIdPattern(revocation.sessionName) },
      DateLessThan: { 'aws:TokenIssueTime': issueTimeLimit(revocation.revokedAt) },
    },
  };
}

/** The revocations still in force: one per person (the latest), those whose sessions may still live, in a stable order. */
export function liveRevocations(revocations: readonly SessionRevocation[], now: number): SessionRevocation[] {
  const latest = new Map<string, SessionRevocation>();
  for (const revocation of revocations) {
    const at = Date.parse(revocation.revokedAt);
    if (!Number.isFinite(at) || at + REVOCATION_DENY_SECONDS * 1000 <= now || at > now + FUTURE_TOLERANCE_MS) continue;
    const known = latest.get(revocation.sessionName);
    if (!known || Date.parse(known.revokedAt) < at) latest.set(revocation.sessionName, revocation);
  }
  return [...latest.values()].sort((a, b) => (a.sessionName < b.sessionName ? -1 : a.sessionName > b.sessionName ? 1 : 0));
}

/**
 * The role's inline policy with the revocation statements: the permission set's own statements, then one
 * per person. Should they not fit IAM's inline policy size, one statement denies all these people's sessions
 * issued before the latest revocation (it may end a later session of an earlier-revoked person: they sign
 * in again). Undefined when there is neither an inline policy nor a revocation.
 */
export function withRevokedSessions(inline: PolicyDocument | undefined, revocations: readonly SessionRevocation[]): PolicyDocument | undefined {
  if (revocations.length === 0) return inline;
  const own = statementsOf(inline);
  const document = (statements: unknown[]): PolicyDocument => ({
    ...(inline ?? {}),
    Version: inline?.Version ?? '2012-10-17',
    Statement: [...own, ...statements],
  });
  const each = document(revocations.map((revocation, index) => revokedSessionsStatement(revocation, index)));
  if (policySize(each) <= MAX_INLINE_POLICY_CHARS) return each;
  const latest = revocations.reduce((a, b) => (Date.parse(a.revokedAt) >= Date.parse(b.revokedAt) ? a : b));
  return document([
    {
      Sid: `${REVOKED_SESSIONS_SID}0`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringLike: { 'aws:userid': revocations.map((revocation) => sessionUserIdPattern(revocation.sessionName)) },
        DateLessThan: { 'aws:TokenIssueTime': issueTimeLimit(latest.revokedAt) },
      },
    },
  ]);
}

/** The revocations a role's inline policy carries (as read back from IAM): so a run that cannot read the state table never drops one early. */
export function revocationsIn(inline: PolicyDocument | undefined): SessionRevocation[] {
  return statementList(inline).flatMap((statement) => {
    if (!isRevocation(statement)) return [];
    const condition = isObject(statement.Condition) ? statement.Condition : {};
    const like = isObject(condition.StringLike) ? condition.StringLike['aws:userid'] : undefined;
    const before = isObject(condition.DateLessThan) ? condition.DateLessThan['aws:TokenIssueTime'] : undefined;
    const at = typeof before === 'string' ? Date.parse(before) : Number.NaN;
    if (!Number.isFinite(at)) return [];
    const patterns = (Array.isArray(like) ? like : [like]).filter((pattern): pattern is string => typeof pattern === 'string');
    const tail = `+${'?'.repeat(CLICK_ID_LENGTH)}`;
    return patterns
      .filter((pattern) => pattern.startsWith('*:') && pattern.endsWith(tail))
      .map((pattern) => ({ sessionName: pattern.slice(2, -tail.length), revokedAt: new Date(at).toISOString() }));
  });
}

/** The statements of an inline policy without its revocation statements (the permission set's own). */
function statementsOf(inline: PolicyDocument | undefined): unknown[] {
  return statementList(inline).filter((statement) => !isRevocation(statement));
}

function statementList(inline: PolicyDocument | undefined): unknown[] {
  const statements = inline?.Statement;
  return Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
}

function isRevocation(statement: unknown): statement is Record<string, unknown> & { Condition?: unknown } {
  return isObject(statement) && typeof statement.Sid === 'string' && statement.Sid.startsWith(REVOKED_SESSIONS_SID);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
