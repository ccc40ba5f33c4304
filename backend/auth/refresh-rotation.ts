/**
 * Which refresh token of a sign-in may be traded now (OAuth 2.0 Security Best Current Practice,
 * refresh token rotation with reuse detection). Each refresh token is good once. A token presented after
 * it was traded means a copy is in someone else's hands, so the whole sign-in ends, every copy of it,
 * with one exception, for the same client doing two things at once: the token traded last, presented
 * again within the grace period by the client that traded it, is answered with the same next generation
 * rather than treated as reuse. "The same client" is the same source address and the same user agent
 * (compared as one keyed hash): two tabs of one browser, two processes of one CLI on one machine, or a
 * retry after an answer lost on the way. docs/sign-in.md states the grace period and why.
 */
import type { SessionEndReason } from './session-ends.ts';
import type { SessionFamily } from './session-families.ts';

export type Presented =
  /** The token that may be traded now: trade it for the next generation. */
  | { kind: 'current' }
  /** The token traded last, again, by the client that traded it, within the grace period: answer with `next`. */
  | { kind: 'just-traded'; next: number }
  /** A token traded before: end the sign-in. */
  | { kind: 'reused' }
  | { kind: 'ended'; reason: SessionEndReason }
  /** No such sign-in (ended long ago, or never): refused like a forged token. */
  | { kind: 'unknown' };

export interface Presentation {
  generation: number;
  /** Keyed hash of the presenting client's source address and user agent. */
  client: string;
  now: number;
  graceMs: number;
}

export function classifyRefresh(family: SessionFamily | undefined, presented: Presentation): Presented {
  if (!family) return { kind: 'unknown' };
  if (family.ended) return { kind: 'ended', reason: family.ended.reason };
  if (presented.generation === family.generation) return { kind: 'current' };
  const justTraded =
    presented.generation === family.generation - 1 && family.rotatedBy === presented.client && presented.now - family.rotatedAt <= presented.graceMs;
  return justTraded ? { kind: 'just-traded', next: family.generation } : { kind: 'reused' };
}
