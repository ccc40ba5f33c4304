/**
 * The audit record of each step of the CLI's sign-in handoff (docs/cli.md): POST /cli/authorize (a code
 * issued to a signed-in person) and POST /session/cli (a code redeemed for a session). One record per
 * attempt (attempt-audit.ts); a refusal says which: a redirect that is not loopback, a code unknown, used
 * or expired, a redirect or verifier that does not match. Never the code, the verifier or a token.
 */
import type { Context } from 'hono';
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { ApiErrorCode } from '../../shared/api/errors.ts';
import type { CliCodeRefusal } from '../auth/cli-login-codes.ts';
import type { AppLogger } from '../logging.ts';
import { AttemptAudit, auditAttempts, type AttemptRecord } from './attempt-audit.ts';
import { httpErrorOf } from './errors.ts';

export type CliLoginStep = 'authorize' | 'redeem';

export interface CliLoginAuditRecord extends AttemptRecord {
  /** `code_issued` (authorize) or `signed_in` (redeem), else the error code the caller was given. */
  outcome: 'code_issued' | 'signed_in' | ApiErrorCode;
  step: CliLoginStep;
  channel: 'cli';
  /** Why the request was refused, for the refusals of the handoff itself. */
  refusal?: CliCodeRefusal | 'redirect_not_loopback';
  /** The loopback listener (`127.0.0.1:<port>`) the code is bound to. */
  redirectHost?: string;
  source?: SignInMethod;
}

export class CliLoginAudit extends AttemptAudit<CliLoginAuditRecord> {
  constructor(logger: AppLogger, c: Context, step: CliLoginStep) {
    super(logger, 'cli sign-in attempt', c, { step, channel: 'cli' });
  }

  succeeded(details: { user: string; source: SignInMethod }): void {
    this.answered(this.record.step === 'authorize' ? 'code_issued' : 'signed_in', details);
  }

  override failed(error: unknown): void {
    const answer = httpErrorOf(error);
    // The body check names the field first: "redirectUri: must be http://127.0.0.1:<port>/...".
    const notLoopback = answer?.code === 'bad_request' && /(^|; )redirectUri: /.test(answer.message);
    super.failed(error, notLoopback ? { refusal: 'redirect_not_loopback' } : {});
  }
}

/** The first middleware of POST /cli/authorize and POST /session/cli. */
export function cliLoginAudit(logger: AppLogger, step: CliLoginStep) {
  return auditAttempts<CliLoginAuditRecord, CliLoginAudit>((c) => new CliLoginAudit(logger, c, step));
}

/** `127.0.0.1:<port>` of a loopback redirect, for the record (never its path). */
export function redirectHostOf(redirectUri: string): string | undefined {
  try {
    return new URL(redirectUri).host;
  } catch {
    return undefined;
  }
}
