/**
 * Each sign-in's family of refresh tokens, in the state table (backend/state/layout.ts sessionFamilyKey):
 * one item per session id holding the generation of the one refresh token that may be traded now, when
 * and by which client the one before it was traded, and whether the sign-in has ended and why. Every
 * API instance reads it consistently and writes the next generation only under a version condition, so
 * two refreshes can never both trade the same token; every API call checks it, so an ended sign-in's
 * access tokens stop on every instance at once. The item lives until the sign-in would have ended.
 */
import { sessionFamilyKey } from '../state/layout.ts';
import { StateConditionFailed, type StateTable } from '../state/state-table.ts';
import type { SessionEndReason } from './session-ends.ts';

export interface SessionFamily {
  /** The generation of the refresh token that may be traded now. */
  generation: number;
  /** When that generation was issued (ms since the epoch). */
  rotatedAt: number;
  /** Keyed hash of the client (source address and user agent) that traded the generation before it. */
  rotatedBy?: string;
  ended?: { reason: SessionEndReason; at: number };
}

export interface FamilyRecord {
  family: SessionFamily;
  /** The item's version: the condition of the next write. */
  version: number;
  /** When the sign-in ends anyway (Unix seconds): the item's end. */
  expiresAt: number;
}

export interface SessionFamilies {
  /** Starts a sign-in's family at generation 0; `endsAt` is when the sign-in ends anyway. */
  start(sessionId: string, endsAt: Date, now: number): Promise<void>;
  read(sessionId: string): Promise<FamilyRecord | undefined>;
  /** Writes `next` if nobody wrote since `record` was read; false when somebody did. */
  advance(sessionId: string, record: FamilyRecord, next: SessionFamily): Promise<boolean>;
  /** Ends the sign-in for good (kept until it would have ended, so every copy of it learns why). */
  end(sessionId: string, reason: SessionEndReason, now: number): Promise<void>;
}

export function stateSessionFamilies(table: StateTable): SessionFamilies {
  return {
    async start(sessionId, endsAt, now) {
      await table.put<SessionFamily>(
        { ...sessionFamilyKey(sessionId), expiresAt: Math.ceil(endsAt.getTime() / 1000), data: { generation: 0, rotatedAt: now } },
        { kind: 'absent' },
      );
    },
    async read(sessionId) {
      const item = await table.get<SessionFamily>(sessionFamilyKey(sessionId));
      if (!item || item.expiresAt === undefined) return undefined;
      return { family: item.data, version: item.version, expiresAt: item.expiresAt };
    },
    async advance(sessionId, record, next) {
      try {
        await table.put<SessionFamily>(
          { ...sessionFamilyKey(sessionId), expiresAt: record.expiresAt, data: next },
          { kind: 'version', version: record.version },
        );
        return true;
      } catch (error) {
        if (error instanceof StateConditionFailed) return false;
        throw error;
      }
    },
    async end(sessionId, reason, now) {
      const key = sessionFamilyKey(sessionId);
      const item = await table.get<SessionFamily>(key);
      if (!item || item.expiresAt === undefined || item.data.ended) return;
      // Unconditional: an end wins over a refresh that raced it (that refresh's write then fails its condition).
      await table.put<SessionFamily>({ ...key, expiresAt: item.expiresAt, data: { ...item.data, ended: { reason, at: now } } }, { kind: 'any' });
    },
  };
}
