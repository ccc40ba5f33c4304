/**
 * The person's own request or grant of a row that opens on request: a pending request can be cancelled;
 * an active grant extended (within the rule's extensions) or given back now (revoked, with a reason).
 * The backend's refusal (no extensions left, already approved meanwhile) is shown in its words. Loaded
 * the first time it is opened.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CompactList, RowElevation } from '../../list-cache/compact-list.ts';
import { accountName, permissionSetName } from '../../list-cache/compact-list.ts';
import type { RequestView } from '../../../shared/api/requests.ts';
import type { BackgroundReply } from '../../messages.ts';
import { send } from '../host.ts';
import { clockTime, timeLeft } from '../session-time.ts';
import { elevationState } from './elevation-state.ts';
import { durationText, extensionChoices } from './request-rules.ts';
import { Panel } from '../Panel.tsx';

export interface ManageRequestProps {
  list: CompactList;
  row: number;
  elevation: RowElevation;
  /** The time now (the grant's time left). */
  now: number;
  /** The request changed (cancelled, extended, revoked): what to say on the status line. */
  onChanged(request: RequestView, text: string): void;
  onClose(): void;
}

type Action = 'cancel' | 'extend' | 'revoke';

export function ManageRequest({ list, row, elevation, now, onChanged, onClose }: ManageRequestProps) {
  const name = accountName(list, row);
  const permissionSet = permissionSetName(list, row);
  const label = `${name} as ${permissionSet}`;
  const state = elevationState(elevation, now);
  const extensions = extensionChoices(elevation.rule);
  const [extension, setExtension] = useState(extensions[0] ?? 0);
  const [justification, setJustification] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<Action>();
  const extensionField = useRef<HTMLSelectElement>(null);
  const reasonField = useRef<HTMLInputElement>(null);
  useEffect(() => (extensionField.current ?? reasonField.current)?.focus(), [row]);

  async function act(action: Action) {
    if (busy || state.kind === 'on-request') return;
    const why = reason.trim();
    if (action === 'revoke' && !why) return setError('Give a reason to give the grant back.');
    setBusy(action);
    setError(undefined);
    const { id } = state;
    let reply: BackgroundReply<'request/cancel'>;
    if (action === 'cancel') reply = await send({ type: 'request/cancel', id, ...(why ? { reason: why } : {}) });
    else if (action === 'revoke') reply = await send({ type: 'grant/revoke', id, reason: why });
    else {
      const text = justification.trim();
      reply = await send({ type: 'grant/extend', id, durationSeconds: extension, ...(text ? { justification: text } : {}) });
    }
    setBusy(undefined);
    if (!reply.ok) return setError(reply.message);
    const { request } = reply;
    const done =
      action === 'cancel'
        ? `Cancelled your request for ${label}.`
        : action === 'revoke'
          ? `Gave back ${label}.`
          : `Extended ${label}${request.endsAt ? ` until ${clockTime(request.endsAt)}` : ''}.`;
    onChanged(request, done);
  }

  /** A form's submit: its action, not a page load. */
  const submits = (action: Action) => (event: Event) => {
    event.preventDefault();
    void act(action);
  };

  const errorLine = error && (
    <p id="manage-error" class="message error" role="alert">
      {error}
    </p>
  );

  if (state.kind === 'pending')
    return (
      <Panel
        kind="manage-request"
        label={`Your request for ${label}`}
        onClose={onClose}
        title={
          <>
            Your request for <strong>{name}</strong> as <strong>{permissionSet}</strong>
            <div class="panel-sub">Waits for approval.</div>
          </>
        }
      >
        <form class="panel-form" onSubmit={submits('cancel')}>
          <label for="manage-reason">Reason (optional)</label>
          <input
            id="manage-reason"
            ref={reasonField}
            type="text"
            maxLength={500}
            autocomplete="off"
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          {errorLine}
          <div class="panel-actions">
            <button type="submit" aria-disabled={!!busy}>
              {busy ? 'Cancelling…' : 'Cancel request'}
            </button>
          </div>
        </form>
      </Panel>
    );

  const until = state.kind === 'active' ? state.until : undefined;
  return (
    <Panel
      kind="manage-request"
      label={`Your grant of ${label}`}
      onClose={onClose}
      title={
        <>
          Your grant of <strong>{name}</strong> as <strong>{permissionSet}</strong>
          <div class="panel-sub">{until ? `Until ${clockTime(until)} (${timeLeft(until, now) ?? 'ending'}).` : 'It has ended.'}</div>
        </>
      }
    >
      {until && extensions.length > 0 && (
        <form class="panel-form" onSubmit={submits('extend')}>
          <label for="manage-extension">Extend by</label>
          <select
            id="manage-extension"
            ref={extensionField}
            value={String(extension)}
            onChange={(event) => setExtension(Number(event.currentTarget.value))}
          >
            {extensions.map((seconds) => (
              <option key={seconds} value={String(seconds)}>
                {durationText(seconds)}
              </option>
            ))}
          </select>
          <label for="manage-justification">Justification (optional)</label>
          <input
            id="manage-justification"
            type="text"
            maxLength={2000}
            autocomplete="off"
            value={justification}
            onInput={(event) => setJustification(event.currentTarget.value)}
          />
          <div class="panel-actions">
            <button type="submit" class="primary" aria-disabled={!!busy}>
              {busy === 'extend' ? 'Extending…' : 'Extend'}
            </button>
          </div>
        </form>
      )}
      {until && (
        <form class="panel-form" onSubmit={submits('revoke')}>
          <label for="manage-reason">Reason to give it back</label>
          <input
            id="manage-reason"
            ref={reasonField}
            type="text"
            maxLength={500}
            autocomplete="off"
            value={reason}
            aria-invalid={error ? true : undefined}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <div class="panel-actions">
            <button type="submit" aria-disabled={!!busy}>
              {busy === 'revoke' ? 'Giving back…' : 'Give back now'}
            </button>
          </div>
        </form>
      )}
      {errorLine}
    </Panel>
  );
}
