/**
 * One audit record per attempt, whatever its outcome: the shape every audited route shares (an attempt at
 * a role, a step of the CLI's sign-in). A route's middleware makes the record first, so an attempt refused
 * by a later middleware (sign-in, the body) is audited too; the record is written once the answer is known.
 * A record never holds a secret: only names, ids, timings and the reason the caller was given.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ApiErrorCode } from '../../shared/api/errors.ts';
import type { Person } from '../../shared/api/person.ts';
import { errorName } from '../../shared/error-text.ts';
import { newRequestId } from '../broker/session-name.ts';
import type { AppLogger } from '../logging.ts';
import { clientInfo } from './client-info.ts';
import { httpErrorOf } from './errors.ts';

/** What every audit record holds. */
export interface AttemptRecord {
  requestId: string;
  /** What happened: the route's word for success, or the error code the caller was given. */
  outcome: string;
  status: number;
  user?: string;
  sourceIp?: string;
  userAgent?: string;
  durationMs: number;
  /** The message the caller was given, or the name of an unexpected error. */
  reason?: string;
}

type Pending<R extends AttemptRecord> = Omit<R, 'durationMs'>;

export class AttemptAudit<R extends AttemptRecord> {
  readonly requestId = newRequestId();
  private readonly started = performance.now();
  protected readonly record: Pending<R>;

  constructor(
    private readonly logger: AppLogger,
    private readonly message: string,
    c: Context,
    initial: Omit<Pending<R>, keyof AttemptRecord>,
  ) {
    this.record = { ...initial, requestId: this.requestId, outcome: 'internal', status: 500, ...clientInfo(c) } as Pending<R>;
  }

  /** Adds fields; undefined values are left out. */
  set(fields: Partial<Omit<R, keyof Omit<AttemptRecord, 'user'>>>): void {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(this.record, { [key]: value });
  }

  protected answered(outcome: string, details: Partial<R> = {}): void {
    Object.assign(this.record, { outcome, status: 200, ...details });
  }

  /** Remembers the answer the error got (the API's one error-to-answer map), or that it was unexpected. */
  failed(error: unknown, details: Partial<R> = {}): void {
    const answer = httpErrorOf(error);
    if (answer)
      Object.assign(this.record, { outcome: answer.code satisfies ApiErrorCode, status: answer.statusCode, reason: answer.message, ...details });
    else Object.assign(this.record, { outcome: 'internal', status: 500, reason: errorName(error), ...details });
  }

  write(): void {
    const entry: Record<string, unknown> & { status: number } = {
      ...this.record,
      durationMs: Math.round((performance.now() - this.started) * 10) / 10,
    };
    const log = entry.status < 400 ? this.logger.info : entry.status < 500 ? this.logger.warn : this.logger.error;
    log.call(this.logger, this.message, entry);
  }
}

export interface Audited<A> {
  /** `person` is read, not required: an attempt refused before sign-in is audited too. */
  Variables: { audit: A; person?: Person };
}

/**
 * The first middleware of an audited route: makes the attempt's record (`start` may refuse the request
 * already, audited), and writes it once the answer is known.
 */
export function auditAttempts<R extends AttemptRecord, A extends AttemptAudit<R>>(
  make: (c: Context) => A,
  start: (audit: A, c: Context) => void = () => undefined,
): MiddlewareHandler<Audited<A>> {
  return createMiddleware<Audited<A>>(async (c, next) => {
    const audit = make(c);
    c.set('audit', audit);
    try {
      start(audit, c);
      await next();
      // Hono answers a thrown error where it was thrown (app.onError), and keeps it here.
      if (c.error) audit.failed(c.error);
    } catch (error) {
      audit.failed(error);
      throw error;
    } finally {
      audit.set({ user: c.var.person?.id } as Partial<R>);
      audit.write();
    }
  });
}
