/**
 * The one-time codes of the CLI's sign-in handoff (shared/api/cli-login.ts, docs/cli.md). A code is 32
 * random bytes; the state table keeps it under its SHA-256 only, with the PKCE challenge and the loopback
 * redirect it is bound to, and the person sealed with a key derived from the code itself (AES-256-GCM),
 * so the table holds nothing anyone can sign in with. It can be redeemed once, within
 * CLI_LOGIN_CODE_SECONDS, with the verifier of its challenge and the same redirect; a redemption consumes
 * it with a conditional write, so of two racing redemptions exactly one wins. A used or expired code is
 * kept a few minutes longer (without the person), so a second attempt is told "used" or "expired" and
 * the audit can say which.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import { CLI_LOGIN_CODE_SECONDS } from '../../shared/api/cli-login.ts';
import type { Person } from '../../shared/api/person.ts';
import { cliLoginCodeKey } from '../state/layout.ts';
import { StateConditionFailed, type StateItem, type StateTable } from '../state/state-table.ts';
import type { NewSession } from './sessions.ts';

/** Who the code signs in, and what a refresh of their session needs. */
export interface CliLoginGrant {
  user: Person;
  source: SignInMethod;
  refresh?: NewSession['refresh'];
}

export interface CliCodeBinding {
  redirectUri: string;
  codeChallenge: string;
}

export type CliCodeRefusal = 'code_unknown' | 'code_reused' | 'code_expired' | 'redirect_mismatch' | 'wrong_verifier';

/** A redemption refused; `refusal` says why (the audit records it), the message is for the person. */
export class CliCodeRefused extends Error {
  override readonly name = 'CliCodeRefused';
  constructor(
    readonly refusal: CliCodeRefusal,
    message: string,
    /** The person the code was issued to, when the code is known. */
    readonly user?: string,
  ) {
    super(message);
  }
}

export interface CliLoginCodes {
  issue(grant: CliLoginGrant, binding: CliCodeBinding): Promise<{ code: string; expiresAt: Date }>;
  /** The grant of a valid code, consumed; throws CliCodeRefused otherwise (and the code is spent all the same). */
  redeem(request: { code: string; codeVerifier: string; redirectUri: string }): Promise<CliLoginGrant>;
}

interface CodeData {
  challenge: string;
  redirectUri: string;
  /** Milliseconds since the epoch until which the code may be redeemed. */
  validUntil: number;
  /** The person, for the audit of a refused redemption (not secret; the sealed grant is what signs in). */
  user: string;
  /** The grant, sealed with the code's key; removed when the code is spent. */
  sealed?: string;
  /** Set when the code is spent. */
  spentAt?: number;
}

/** How long a spent or expired code is remembered, to tell "used" and "expired" from "unknown". */
const REMEMBERED_SECONDS = 10 * 60;

export function makeCliLoginCodes(state: StateTable, options: { now?: () => number } = {}): CliLoginCodes {
  const now = options.now ?? Date.now;
  return {
    async issue(grant, binding) {
      const code = randomBytes(32).toString('base64url');
      const issuedAt = now();
      const validUntil = issuedAt + CLI_LOGIN_CODE_SECONDS * 1000;
      const data: CodeData = {
        challenge: binding.codeChallenge,
        redirectUri: binding.redirectUri,
        validUntil,
        user: grant.user.id,
        sealed: seal(code, grant),
      };
      await state.put<CodeData>(
        { ...cliLoginCodeKey(hashOf(code)), expiresAt: Math.ceil(issuedAt / 1000) + REMEMBERED_SECONDS, data },
        { kind: 'absent' },
      );
      return { code, expiresAt: new Date(validUntil) };
    },

    async redeem(request) {
      const key = cliLoginCodeKey(hashOf(request.code));
      const item = await state.get<CodeData>(key);
      if (!item) throw new CliCodeRefused('code_unknown', 'this sign-in code is not known (or long expired): run switchyard login again');
      const { data } = item;
      if (data.spentAt !== undefined) throw reused(data.user);
      await spend(state, item, now());
      if (now() > data.validUntil) {
        const message = `this sign-in code has expired (codes last ${CLI_LOGIN_CODE_SECONDS} s): run switchyard login again`;
        throw new CliCodeRefused('code_expired', message, data.user);
      }
      if (request.redirectUri !== data.redirectUri) {
        throw new CliCodeRefused('redirect_mismatch', 'redirectUri is not the one this code was issued for', data.user);
      }
      if (!sameText(s256(request.codeVerifier), data.challenge)) {
        throw new CliCodeRefused('wrong_verifier', 'codeVerifier does not match the code challenge', data.user);
      }
      if (data.sealed === undefined) throw reused(data.user);
      return unseal(request.code, data.sealed);
    },
  };
}

/** Marks the code spent, only if nobody else did since it was read: of two racing redemptions, one wins. */
async function spend(state: StateTable, item: StateItem<CodeData>, at: number): Promise<void> {
  const { sealed: _sealed, ...kept } = item.data;
  try {
    await state.put<CodeData>(
      { pk: item.pk, sk: item.sk, ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}), data: { ...kept, spentAt: at } },
      {
        kind: 'version',
        version: item.version,
      },
    );
  } catch (error) {
    if (error instanceof StateConditionFailed) throw reused(item.data.user);
    throw error;
  }
}

function reused(user: string): CliCodeRefused {
  return new CliCodeRefused('code_reused', 'this sign-in code was already used: run switchyard login again', user);
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function hashOf(code: string): string {
  return createHash('sha256').update(code, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function keyOf(code: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(code, 'ascii'), Buffer.alloc(0), 'switchyard cli login grant', 32));
}

function seal(code: string, grant: CliLoginGrant): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(code), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(grant), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unseal(code: string, sealed: string): CliLoginGrant {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(code), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as CliLoginGrant;
}
