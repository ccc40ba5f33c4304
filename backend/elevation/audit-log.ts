/**
 * The audit record of every change of an elevation request: one structured log line answering who, what,
 * when and why (request id, actor, pair, duration, justification, state, reason). The federation audit
 * record of a click on a granted pair carries the grant's id (backend/api/federation-audit.ts).
 */
import type { AppLogger } from '../logging.ts';
import type { ElevationEvent } from './events.ts';

export interface ElevationAuditRecord {
  change: ElevationEvent['change'];
  requestId: string;
  state: string;
  /** Who made the change; "switchyard" when time or a push did. */
  actor: string;
  requester: string;
  accountId: string;
  accountName: string;
  permissionSet: string;
  durationSeconds: number;
  justification?: string;
  reason?: string;
  approvals: number;
  approvalsNeeded: number;
  endsAt?: string;
  rule: string;
  at: string;
}

export function auditRecordOf(event: ElevationEvent): ElevationAuditRecord {
  const { request } = event;
  const reason = event.change === 'approved' || event.change === 'granted' ? request.approvals.at(-1)?.reason : request.closed?.reason;
  return {
    change: event.change,
    requestId: request.id,
    state: request.state,
    actor: event.actor?.id ?? 'switchyard',
    requester: request.requester.id,
    accountId: request.accountId,
    accountName: request.accountName,
    permissionSet: request.permissionSet,
    durationSeconds: request.durationSeconds + request.extensions.reduce((sum, extension) => sum + extension.seconds, 0),
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
    ...(reason !== undefined ? { reason } : {}),
    approvals: request.approvals.length,
    approvalsNeeded: request.approvalsNeeded,
    ...(request.endsAt !== undefined ? { endsAt: request.endsAt } : {}),
    rule: request.rule.source,
    at: event.at,
  };
}

export function auditLog(logger: AppLogger): (event: ElevationEvent) => void {
  return (event) => logger.info('elevation change', { ...auditRecordOf(event) });
}
