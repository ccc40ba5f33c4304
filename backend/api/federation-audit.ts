/**
 * The audit record of one POST /federate attempt (docs/console-access.md, "The audit record"): exactly one
 * structured log line per attempt, whatever its outcome. It never holds the sign-in URL, a token or a
 * credential: only names, ids, the destination's host, timings and the reason the caller was given.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ApiErrorCode } from '../../shared/api/errors.ts';
import type { Person } from '../../shared/api/person.ts';
import { errorName } from '../../shared/error-text.ts';
import { newRequestId } from '../broker/session-name.ts';
import type { AppLogger } from '../logging.ts';
import { clientInfo } from './client-info.ts';
import { httpErrorOf } from './errors.ts';

export interface FederationAuditRecord {
  requestId: string;
  outcome: 'opened' | ApiErrorCode;
  status: number;
  user?: string;
  accountId?: string;
  permissionSet?: string;
  region?: string;
  destinationHost?: string;
  sessionName?: string;
  /** The grant that let a click on an eligible pair through (elevation): the request id. */
  grantId?: string;
  /** The session length asked of STS and the federation endpoint, in seconds. */
  sessionSeconds?: number;
  /** The web identity (Cognito identity id) CloudTrail shows for the AssumeRoleWithWebIdentity call. */
  webIdentity?: string;
  sourceIp?: string;
  userAgent?: string;
  durationMs: number;
  upstreamMs?: number;
  reason?: string;
}

type Fields = Partial<
  Pick<FederationAuditRecord, 'user' | 'accountId' | 'permissionSet' | 'region' | 'destinationHost' | 'grantId' | 'sessionSeconds'>
>;

export class FederationAudit {
  readonly requestId = newRequestId();
  private readonly started = performance.now();
  private readonly record: Omit<FederationAuditRecord, 'durationMs'>;

  constructor(
    private readonly logger: AppLogger,
    c: Context,
  ) {
    this.record = { requestId: this.requestId, outcome: 'internal', status: 500, ...clientInfo(c) };
  }

  set(fields: Fields): void {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(this.record, { [key]: value });
  }

  succeeded(details: { sessionName: string; upstreamMs: number; webIdentity?: string }): void {
    Object.assign(this.record, { outcome: 'opened', status: 200, ...details });
  }

  /** Remembers the answer the error got (the API's one error-to-answer map), or that it was unexpected. */
  failed(error: unknown): void {
    const answer = httpErrorOf(error);
    if (answer) Object.assign(this.record, { outcome: answer.code, status: answer.statusCode, reason: answer.message });
    else Object.assign(this.record, { outcome: 'internal', status: 500, reason: errorName(error) });
  }

  write(): void {
    const entry: FederationAuditRecord = { ...this.record, durationMs: Math.round((performance.now() - this.started) * 10) / 10 };
    const log = entry.status < 400 ? this.logger.info : entry.status < 500 ? this.logger.warn : this.logger.error;
    log.call(this.logger, 'federation attempt', { ...entry });
  }
}

export interface Audited {
  /** `person` is read, not required: an attempt refused before sign-in is audited too. */
  Variables: { audit: FederationAudit; person?: Person };
}

/**
 * The first middleware of POST /federate: every attempt, refused by a later middleware (sign-in, the body)
 * or by the route, writes its record once the answer is known.
 */
export function federationAudit(logger: AppLogger) {
  return createMiddleware<Audited>(async (c, next) => {
    const audit = new FederationAudit(logger, c);
    c.set('audit', audit);
    try {
      await next();
      // Hono answers a thrown error where it was thrown (app.onError), and keeps it here.
      if (c.error) audit.failed(c.error);
    } catch (error) {
      audit.failed(error);
      throw error;
    } finally {
      audit.set({ user: c.var.person?.id });
      audit.write();
    }
  });
}
