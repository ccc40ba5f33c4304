/**
 * The session: tokens, their expiry and the person. Kept in `storage.session` only, never
 * `storage.local`. When a session runs out for good, only who it was stays (`expired`), so the popup
 * can show the list it last fetched and ask to sign in again; the tokens are gone.
 */
import { z } from 'zod';
import { PersonSchema, type Person } from '../../shared/api/person.ts';
import { SessionResponseSchema } from '../../shared/api/session.ts';
import type { KeyValueArea } from './storage-area.ts';

const KEY = 'session';

/** A sign-in's answer without its entitlements (the entitlement cache keeps those). */
const StoredSessionSchema = SessionResponseSchema.omit({ entitlements: true });
export type StoredSession = z.infer<typeof StoredSessionSchema>;

const ExpiredSchema = z.object({ expired: z.literal(true), user: PersonSchema });

export type SessionRecord = { kind: 'none' } | { kind: 'active'; session: StoredSession } | { kind: 'expired'; user: Person };

export interface SessionStore {
  read(): Promise<SessionRecord>;
  save(session: StoredSession): Promise<void>;
  /** Forgets the tokens, keeps who it was. */
  markExpired(user: Person): Promise<void>;
  clear(): Promise<void>;
}

export function makeSessionStore(area: KeyValueArea): SessionStore {
  return {
    async read() {
      const stored = (await area.get(KEY))[KEY];
      const active = StoredSessionSchema.safeParse(stored);
      if (active.success) return { kind: 'active', session: stripUndefined(active.data) };
      const expired = ExpiredSchema.safeParse(stored);
      if (expired.success) return { kind: 'expired', user: expired.data.user };
      return { kind: 'none' };
    },
    async save(session) {
      await area.set({ [KEY]: stripUndefined({ ...session }) });
    },
    async markExpired(user) {
      await area.set({ [KEY]: { expired: true, user } });
    },
    async clear() {
      await area.remove(KEY);
    },
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
