/**
 * The audit record of one attempt at a role, POST /federate (a console) or POST /credentials (temporary
 * credentials) (docs/console-access.md, "The audit record"): exactly one structured log line per attempt,
 * whatever its outcome (attempt-audit.ts). It never holds the sign-in URL, a token or a credential: only
 * names, ids, the destination's host, timings, the client's channel and the reason the caller was given.
 */
import type { Context } from 'hono';
import { CHANNEL_HEADER, ChannelSchema, type Channel } from '../../shared/api/channel.ts';
import type { ApiErrorCode } from '../../shared/api/errors.ts';
import type { AppLogger } from '../logging.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { AttemptAudit, auditAttempts, type AttemptRecord, type Audited } from './attempt-audit.ts';
import { HttpError } from './errors.ts';

/** What the attempt asked for: a console sign-in URL, or temporary credentials. */
export type RoleAccess = 'console' | 'credentials';

export interface FederationAuditRecord extends AttemptRecord {
  /** `opened`: a console sign-in URL was given; `issued`: credentials were. */
  outcome: 'opened' | 'issued' | ApiErrorCode;
  access: RoleAccess;
  /** Which client asked (its X-Switchyard-Channel header, else the route's usual client). */
  channel: Channel;
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
  upstreamMs?: number;
  /** For issued credentials: when they expire (never the credentials). */
  expiresAt?: string;
}

/** The client a route is called by when the request does not say: the extension opens consoles, the CLI asks for credentials. */
const USUAL_CHANNEL: Record<RoleAccess, Channel> = { console: 'console', credentials: 'cli' };

export class FederationAudit extends AttemptAudit<FederationAuditRecord> {
  constructor(
    logger: AppLogger,
    c: Context,
    access: RoleAccess,
    private readonly metrics: Metrics,
  ) {
    super(logger, 'federation attempt', c, { access, channel: USUAL_CHANNEL[access] });
  }

  /** The audit record, and the attempt counted by how it ended. */
  override write(): void {
    super.write();
    this.metrics.add('roleAccessAnswers', 1, { Access: this.record.access, Outcome: this.record.outcome });
  }

  /** The client's channel header; a value outside the contract's is a 400 (and the record keeps the route's usual channel). */
  readChannel(c: Context): void {
    const sent = c.req.header(CHANNEL_HEADER);
    if (sent === undefined) return;
    const channel = ChannelSchema.safeParse(sent.trim().toLowerCase());
    if (!channel.success) throw new HttpError(400, 'bad_request', `${CHANNEL_HEADER} must be one of ${ChannelSchema.options.join(', ')}`);
    this.record.channel = channel.data;
  }

  succeeded(details: { sessionName: string; upstreamMs: number; webIdentity?: string; expiresAt?: string }): void {
    this.answered(this.record.access === 'console' ? 'opened' : 'issued', details);
  }
}

/** The first middleware of POST /federate and POST /credentials. */
export function federationAudit(deps: { logger: AppLogger; metrics: Metrics }, access: RoleAccess) {
  return auditAttempts<FederationAuditRecord, FederationAudit>(
    (c) => new FederationAudit(deps.logger, c, access, deps.metrics),
    (audit, c) => audit.readChannel(c),
  );
}

export type { Audited };
