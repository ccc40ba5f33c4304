/**
 * The keys that sign session tokens, each with a key id (`kid`) so keys can be rotated: the first key
 * of the set signs, every key of the set verifies. Production reads the set from Secrets Manager or
 * SSM (session-key-sources.ts); `npm start` and the tests pass one key (SWITCHYARD_SESSION_SECRET).
 *
 * The stored form is JSON, newest key first:
 *   {"keys": [{"kid": "2026-10", "secret": "<base64, at least 32 bytes>"}, {"kid": "2026-07", "secret": "..."}]}
 * or a bare base64 secret (one key, its kid derived from it). Each purpose (signing access tokens,
 * encrypting refresh tokens, hashing user names for logs) uses its own key derived with HKDF, so no
 * key material is used twice.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { z } from 'zod';

export interface SessionKey {
  kid: string;
  secret: Uint8Array;
}

export type KeyPurpose = 'access-token' | 'refresh-token' | 'user-name-hash' | 'value-hash';

export interface SessionKeyRing {
  /** The key new tokens are made with. */
  current(): Promise<SessionKey>;
  /** The key with this id; undefined when the set (read again if stale) has none. */
  find(kid: string): Promise<SessionKey | undefined>;
}

const MIN_SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const KeySetSchema = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        kid: z.string().regex(/^[\w-]{1,64}$/, 'kid must be 1 to 64 letters, digits, "_" or "-"'),
        secret: z
          .string()
          .refine(
            (value) => BASE64.test(value) && Buffer.from(value, 'base64').length >= MIN_SECRET_BYTES,
            `secret must be base64 of at least ${MIN_SECRET_BYTES} bytes`,
          ),
      }),
    )
    .min(1, 'keys must list at least one key'),
});

/** A key id for a lone secret: a hash of a derived value, so it says nothing about the secret. */
export function kidOf(secret: Uint8Array): string {
  return `k-${createHash('sha256').update(deriveKey(secret, 'access-token')).digest('hex').slice(0, 12)}`;
}

/** Parses a stored key set; the error names `where` and the problem, never the content. */
export function parseKeySet(text: string, where: string): SessionKey[] {
  const trimmed = text.trim();
  if (BASE64.test(trimmed)) {
    const secret = new Uint8Array(Buffer.from(trimmed, 'base64'));
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`${where}: the session key must be base64 of at least ${MIN_SECRET_BYTES} bytes`);
    return [{ kid: kidOf(secret), secret }];
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new Error(`${where}: the session key set is neither base64 nor JSON {"keys": [{"kid", "secret"}]}`);
  }
  const parsed = KeySetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${issue?.path.join('.') || 'key set'}: ${issue?.message ?? 'invalid'}`);
  }
  const kids = parsed.data.keys.map((key) => key.kid);
  const repeated = kids.find((kid, index) => kids.indexOf(kid) !== index);
  if (repeated) throw new Error(`${where}: kid ${repeated} is listed twice`);
  return parsed.data.keys.map((key) => ({ kid: key.kid, secret: new Uint8Array(Buffer.from(key.secret, 'base64')) }));
}

/** 32 bytes for one purpose, derived from a session key (HKDF-SHA256). */
export function deriveKey(secret: Uint8Array, purpose: KeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'switchyard-session-keys', purpose, 32));
}

/** One fixed key (SWITCHYARD_SESSION_SECRET): `npm start` and the tests. */
export function staticKeyRing(secret: Uint8Array): SessionKeyRing {
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`session signing secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const key = { kid: kidOf(secret), secret };
  return {
    current: async () => key,
    find: async (kid) => (kid === key.kid ? key : undefined),
  };
}

export interface LoadedKeyRingOptions {
  /** How long a read key set is used before it is read again (default 5 minutes): the rotation delay. */
  maxAgeMs?: number;
  /** An unknown kid reads the set again at most this often (default 1 minute). */
  unknownKidRetryMs?: number;
  now?: () => number;
}

/**
 * A key set read from a store (Secrets Manager, SSM) and cached. A token signed with a key the cache
 * does not know yet (another instance rotated first) reads the set again, at most once a minute.
 */
export function loadedKeyRing(read: () => Promise<SessionKey[]>, options: LoadedKeyRingOptions = {}): SessionKeyRing {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const retryMs = options.unknownKidRetryMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { keys: SessionKey[]; readAt: number } | undefined;
  let pending: Promise<SessionKey[]> | undefined;

  async function keys(force = false): Promise<SessionKey[]> {
    if (!force && cached && now() - cached.readAt < maxAgeMs) return cached.keys;
    pending ??= read()
      .then((fresh) => {
        cached = { keys: fresh, readAt: now() };
        return fresh;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  return {
    async current() {
      const [first] = await keys();
      if (!first) throw new Error('the session key set is empty');
      return first;
    },
    async find(kid) {
      const known = (await keys()).find((key) => key.kid === kid);
      if (known || !cached || now() - cached.readAt < retryMs) return known;
      return (await keys(true)).find((key) => key.kid === kid);
    },
  };
}
