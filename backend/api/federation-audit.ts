/**
 * The audit record of one POST /federate attempt (docs/console-access.md, "The audit record"): exactly one
 * structured log line per attempt, whatever its outcome. It never holds the sign-in URL, a token or a
 * credential: only names, ids, the destination's host, timings and the reason the caller was given.
 */
import type { Context } from 'hono';
import type { ApiErrorCode } from '../../shared/api/contract.ts';
import { BrokerError } from '../broker/console-broker.ts';
import { newRequestId } from '../broker/session-name.ts';
import type { AppLogger } from '../logging.ts';
import { PolicyUnavailable } from '../api-policy/policy-source.ts';
import { clientInfo } from './client-info.ts';
import { HttpError } from './errors.ts';

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
  /** The web identity (Cognito identity id) CloudTrail shows for the AssumeRoleWithWebIdentity call. */
  webIdentity?: string;
  sourceIp?: string;
  userAgent?: string;
  durationMs: number;
  upstreamMs?: number;
  reason?: string;
}

type Fields = Partial<Pick<FederationAuditRecord, 'user' | 'accountId' | 'permissionSet' | 'region' | 'destinationHost'>>;

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

  /** The error the caller gets for `error`, with the outcome remembered; an unexpected error is returned as it is. */
  failed(error: unknown): unknown {
    const answer = asHttpError(error, this.requestId);
    if (answer) Object.assign(this.record, { outcome: answer.code, status: answer.statusCode, reason: answer.message });
    else Object.assign(this.record, { outcome: 'internal', status: 500, reason: error instanceof Error ? error.name : 'unknown error' });
    return answer ?? error;
  }

  write(): void {
    const entry: FederationAuditRecord = { ...this.record, durationMs: Math.round((performance.now() - this.started) * 10) / 10 };
    const log = entry.status < 400 ? this.logger.info : entry.status < 500 ? this.logger.warn : this.logger.error;
    log.call(this.logger, 'federation attempt', { ...entry });
  }
}

function asHttpError(error: unknown, requestId: string): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof PolicyUnavailable) return new HttpError(503, 'policy_unavailable', error.message);
  if (error instanceof BrokerError)
    return new HttpError(502, 'upstream_failure', `could not open the console: ${error.message} (request ${requestId})`);
  return undefined;
}
