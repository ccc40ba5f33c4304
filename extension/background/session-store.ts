/** The signed-in session: token, expiry and person. Kept in `storage.session` only, never `storage.local`. */
import { z } from 'zod';
import type { SessionUser } from '../../shared/api/contract.ts';
import { SessionUserSchema } from './response-schemas.ts';
import type { KeyValueArea } from './storage-area.ts';

const KEY = 'session';

const StoredSessionSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
  user: SessionUserSchema,
});

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface SessionStore {
  /** The current session, or undefined if there is none or it has expired (an expired one is removed). */
  load(): Promise<StoredSession | undefined>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

export function makeSessionStore(area: KeyValueArea, now: () => number = Date.now): SessionStore {
  return {
    async load() {
      const parsed = StoredSessionSchema.safeParse((await area.get(KEY))[KEY]);
      if (!parsed.success) return undefined;
      const expiresAt = Date.parse(parsed.data.expiresAt);
      if (!Number.isFinite(expiresAt) || expiresAt <= now()) {
        await area.remove(KEY);
        return undefined;
      }
      return parsed.data;
    },
    async save(session) {
      await area.set({ [KEY]: { token: session.token, expiresAt: session.expiresAt, user: session.user } });
    },
    async clear() {
      await area.remove(KEY);
    },
  };
}
