/** A request as the API answers with it (shared/api/requests.ts): its state as of the answer, without what only Switchyard needs. */
import type { RequestView } from '../api/requests.ts';
import { stateAt, type ElevationRequest } from './request.ts';

export function requestView(request: ElevationRequest, now: number): RequestView {
  return {
    id: request.id,
    state: stateAt(request, now),
    requester: { id: request.requester.id, displayName: request.requester.displayName },
    accountId: request.accountId,
    accountName: request.accountName,
    permissionSet: request.permissionSet,
    durationSeconds: request.durationSeconds,
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
    rule: request.rule.source,
    createdAt: request.createdAt,
    pendingExpiresAt: request.pendingExpiresAt,
    approvals: request.approvals.map((approval) => ({ ...approval, by: { ...approval.by } })),
    approvalsNeeded: request.approvalsNeeded,
    ...(request.startedAt !== undefined ? { startedAt: request.startedAt } : {}),
    ...(request.endsAt !== undefined ? { endsAt: request.endsAt } : {}),
    extensions: request.extensions.map((extension) => ({ ...extension, by: { ...extension.by } })),
    ...(request.closed !== undefined ? { closed: { ...request.closed, ...(request.closed.by ? { by: { ...request.closed.by } } : {}) } } : {}),
  };
}
