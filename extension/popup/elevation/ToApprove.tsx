/**
 * The "To approve" view: the requests the person may approve now, each approved or denied with one click
 * and a reason (a denial must give one). Asked again every few seconds while it is open. A grant approved
 * here stays listed while the view is open, with a Revoke button (an approver may end it). Loaded the
 * first time it is opened.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { RequestView } from '../../../shared/api/requests.ts';
import type { BackgroundReply } from '../../messages.ts';
import { send } from '../host.ts';
import { clockTime } from '../session-time.ts';
import { durationText } from './request-rules.ts';
import { Panel } from '../Panel.tsx';

const POLL_MS = 5_000;

export interface ToApproveProps {
  /** How many wait, each time the view hears (the header's count). */
  onCount(count: number): void;
  /** A request was approved or denied: what to say on the status line. */
  onDecided(text: string): void;
  onClose(): void;
}

export function ToApprove({ onCount, onDecided, onClose }: ToApproveProps) {
  const [requests, setRequests] = useState<RequestView[]>();
  const [granted, setGranted] = useState<RequestView[]>([]);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    const reply = await send({ type: 'approvals/list' });
    if (!reply.ok) return setError(reply.message);
    setError(undefined);
    setRequests(reply.requests);
    onCount(reply.requests.length);
  }, [onCount]);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(poll);
  }, [load]);

  function decided(request: RequestView) {
    const verb = request.state === 'denied' ? 'Denied' : request.state === 'active' ? 'Approved and granted' : 'Approved';
    onDecided(`${verb}: ${request.requester.displayName}'s request for ${request.accountName} as ${request.permissionSet}.`);
    if (request.state === 'active') setGranted((shown) => [request, ...shown.filter((other) => other.id !== request.id)]);
    void load();
  }

  function revoked(request: RequestView) {
    onDecided(`Revoked: ${request.requester.displayName}'s grant of ${request.accountName} as ${request.permissionSet}.`);
    setGranted((shown) => shown.filter((other) => other.id !== request.id));
  }

  return (
    <Panel
      kind="to-approve"
      label="Requests to approve"
      onClose={onClose}
      title={
        <>
          <strong>To approve</strong>
        </>
      }
    >
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {requests?.length === 0 && <p class="empty-approvals">Nothing waits for your approval.</p>}
      {requests && requests.length > 0 && (
        <ul class="approvals">
          {requests.map((request) => (
            <ApprovalItem key={request.id} request={request} onDecided={decided} />
          ))}
        </ul>
      )}
      {granted.length > 0 && (
        <ul class="approvals granted" aria-label="Granted here">
          {granted.map((request) => (
            <GrantedItem key={request.id} request={request} onRevoked={revoked} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

/**
 * An item's reason field and its one call at a time: a call made while another runs is dropped, and the
 * backend's refusal (or `missing`, when the call needs a reason and none was given) is the item's error.
 */
function useReasonedCall(onDone: (request: RequestView) => void) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function call(make: (reason: string) => Promise<BackgroundReply<'grant/revoke'>>, missing?: string) {
    if (busy) return;
    const text = reason.trim();
    if (!text && missing) return setError(missing);
    setBusy(true);
    const reply = await make(text);
    setBusy(false);
    if (reply.ok) onDone(reply.request);
    else setError(reply.message);
  }

  return { reason, setReason, error, busy, call };
}

function GrantedItem({ request, onRevoked }: { request: RequestView; onRevoked(request: RequestView): void }) {
  const { reason, setReason, error, busy, call } = useReasonedCall(onRevoked);
  const revoke = () => call((text) => send({ type: 'grant/revoke', id: request.id, reason: text }), 'Give a reason to revoke.');

  return (
    <li class="approval" aria-label={`Granted: ${request.requester.displayName}, ${request.accountName} as ${request.permissionSet}`}>
      <div>
        Granted: <strong>{request.requester.displayName}</strong>, <strong>{request.accountName}</strong> as <strong>{request.permissionSet}</strong>
        {request.endsAt ? ` until ${clockTime(request.endsAt)}` : ''}
      </div>
      <div class="approval-actions">
        <input
          type="text"
          maxLength={500}
          aria-label="Reason to revoke"
          placeholder="Reason (needed to revoke)"
          value={reason}
          aria-invalid={error ? true : undefined}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
        <button type="button" aria-disabled={busy} onClick={() => void revoke()}>
          Revoke
        </button>
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function ApprovalItem({ request, onDecided }: { request: RequestView; onDecided(request: RequestView): void }) {
  const { reason, setReason, error, busy, call } = useReasonedCall(onDecided);
  const reasonId = `reason-${request.id}`;
  const decide = (decision: 'approve' | 'deny') =>
    call(
      (text) => send({ type: 'request/decide', id: request.id, decision, ...(text ? { reason: text } : {}) }),
      decision === 'deny' ? 'Give a reason to deny.' : undefined,
    );

  return (
    <li class="approval" aria-label={`${request.requester.displayName}: ${request.accountName} as ${request.permissionSet}`}>
      <div>
        <strong>{request.requester.displayName}</strong> asks for <strong>{request.accountName}</strong> ({request.accountId}) as{' '}
        <strong>{request.permissionSet}</strong> for {durationText(request.durationSeconds)}
      </div>
      <div class="approval-sub">
        {request.justification ? `“${request.justification}” · ` : ''}asked at {clockTime(request.createdAt)}
        {request.approvalsNeeded > 1 ? ` · ${request.approvals.length} of ${request.approvalsNeeded} approvals` : ''}
      </div>
      <div class="approval-actions">
        <input
          id={reasonId}
          type="text"
          maxLength={500}
          aria-label="Reason"
          placeholder="Reason (needed to deny)"
          value={reason}
          aria-invalid={error ? true : undefined}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
        <button type="button" class="primary" aria-disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" aria-disabled={busy} onClick={() => void decide('deny')}>
          Deny
        </button>
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
