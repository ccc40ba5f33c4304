/**
 * Asking for a row that opens only on request: how long (within the rule's maximum) and why (with the
 * rule's pattern and example as the hint). Loaded the first time a person clicks such a row.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CompactList, RowElevation } from '../../list-cache/compact-list.ts';
import { accountId, accountName, permissionSetName } from '../../list-cache/compact-list.ts';
import type { RequestView } from '../../../shared/api/requests.ts';
import { send } from '../host.ts';
import { approvalText, durationChoices, durationText, justificationProblem } from './request-rules.ts';
import { Panel } from '../Panel.tsx';

export interface RequestFormProps {
  list: CompactList;
  row: number;
  elevation: RowElevation;
  /** The request was made (pending, or active at once when no approval is needed). */
  onRequested(request: RequestView): void;
  onClose(): void;
}

export function RequestForm({ list, row, elevation, onRequested, onClose }: RequestFormProps) {
  const { rule } = elevation;
  const name = accountName(list, row);
  const permissionSet = permissionSetName(list, row);
  const [duration, setDuration] = useState(rule.defaultDurationSeconds);
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), [row]);

  async function submit() {
    if (busy) return;
    const problem = justificationProblem(rule, justification);
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    const text = justification.trim();
    const reply = await send({
      type: 'request/create',
      request: { accountId: accountId(list, row), permissionSet, durationSeconds: duration, ...(text ? { justification: text } : {}) },
    });
    setBusy(false);
    if (reply.ok) onRequested(reply.request);
    else setError(reply.message);
  }

  const { example, pattern, required } = rule.justification;
  return (
    <Panel
      kind="request-form"
      label={`Request ${name} as ${permissionSet}`}
      onClose={onClose}
      title={
        <>
          Request <strong>{name}</strong> as <strong>{permissionSet}</strong>
          <div class="panel-sub">
            Up to {durationText(rule.maxDurationSeconds)}. {approvalText(rule)}
          </div>
        </>
      }
    >
      <form
        class="panel-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label for="request-duration">For</label>
        <select id="request-duration" ref={first} value={String(duration)} onChange={(event) => setDuration(Number(event.currentTarget.value))}>
          {durationChoices(rule).map((seconds) => (
            <option key={seconds} value={String(seconds)}>
              {durationText(seconds)}
            </option>
          ))}
        </select>
        <label for="request-justification">Justification{required ? '' : ' (optional)'}</label>
        <input
          id="request-justification"
          type="text"
          maxLength={2000}
          autocomplete="off"
          placeholder={example ? `e.g. ${example}` : 'Why you need it'}
          title={pattern ? `Must match ${pattern}` : undefined}
          value={justification}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'request-error' : undefined}
          onInput={(event) => setJustification(event.currentTarget.value)}
        />
        {error && (
          <p id="request-error" class="message error" role="alert">
            {error}
          </p>
        )}
        <div class="panel-actions">
          <button type="submit" class="primary" aria-disabled={busy}>
            {busy ? 'Requesting…' : 'Request'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
