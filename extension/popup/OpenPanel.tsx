/**
 * Opening one row with choices: the region (the account's first region by default), a destination
 * (a console path such as /ec2/home, or a console URL pasted from the address bar), and destinations
 * the person pinned as shortcuts ("EC2 in eu-west-1"). The backend checks every destination; when it
 * refuses one, its message is shown here as it is. Loaded only when first opened.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CompactList } from '../list-cache/compact-list.ts';
import { accountId, accountName, permissionSetDescription, permissionSetName, regions, sessionSeconds } from '../list-cache/compact-list.ts';
import { dispositionFor } from '../open-disposition.ts';
import type { Disposition } from '../open-disposition.ts';
import { PairTools } from './host.ts';
import type { PinnedDestination } from './preferences.ts';
import { regionChoices } from './regions.ts';
import { Panel } from './Panel.tsx';

export interface OpenChoice {
  region?: string;
  destination?: string;
}

export interface OpenPanelProps {
  list: CompactList;
  row: number;
  pinned: PinnedDestination[];
  /** Resolves with an error message to show, or undefined once the console opened. */
  onOpen(disposition: Disposition, choice: OpenChoice): Promise<string | undefined>;
  onPinnedChange(pinned: PinnedDestination[]): void;
  onCopyId(accountId: string): void;
  onClose(): void;
  /** The row opens on request: its request or grant can be cancelled, extended or given back there. */
  onManage?(): void;
}

export function OpenPanel({ list, row, pinned, onOpen, onPinnedChange, onCopyId, onClose, onManage }: OpenPanelProps) {
  const id = accountId(list, row);
  const name = accountName(list, row);
  const permissionSet = permissionSetName(list, row);
  const description = permissionSetDescription(list, row);
  const accountRegions = regions(list, row);
  const choices = regionChoices(accountRegions);
  const [region, setRegion] = useState(choices[0] ?? '');
  const [destination, setDestination] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => first.current?.focus(), [row]);

  async function go(disposition: Disposition, choice: OpenChoice) {
    if (busy) return;
    setBusy(true);
    setError(await onOpen(disposition, choice));
    setBusy(false);
  }

  function pin() {
    const trimmed = destination.trim();
    if (!trimmed) return setError('Type a console path or URL to pin.');
    const name = label.trim() || `${trimmed} in ${region}`;
    onPinnedChange([...pinned.filter((entry) => entry.label !== name), { label: name, destination: trimmed, region }]);
    setLabel('');
    setError(undefined);
  }

  return (
    <Panel
      label={`Open ${name} as ${permissionSet}`}
      onClose={onClose}
      title={
        <>
          <strong>{name}</strong> as <strong>{permissionSet}</strong>
          <div class="panel-sub">
            {id}{' '}
            <button type="button" class="link" onClick={() => onCopyId(id)}>
              Copy account ID
            </button>
            {description ? ` · ${description}` : ''} · {Math.round(sessionSeconds(list, row) / 360) / 10} h sessions
            {onManage && (
              <>
                {' · '}
                <button type="button" class="link" onClick={onManage}>
                  Your request or grant…
                </button>
              </>
            )}
          </div>
        </>
      }
    >
      <form
        class="panel-form"
        onSubmit={(event) => {
          event.preventDefault();
          const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
          if (submitter?.value !== 'pin') void go('default', { region, destination: destination.trim() || undefined });
        }}
      >
        <label for="panel-region">Region</label>
        <select id="panel-region" ref={first} value={region} onChange={(event) => setRegion(event.currentTarget.value)}>
          {choices.map((choice, index) => (
            <option key={choice} value={choice}>
              {choice}
              {index < accountRegions.length ? ' (account)' : ''}
            </option>
          ))}
        </select>
        <label for="panel-destination">Destination</label>
        <input
          id="panel-destination"
          type="text"
          placeholder="/ec2/home or a console URL (optional)"
          autocomplete="off"
          spellcheck={false}
          value={destination}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'panel-error' : undefined}
          onInput={(event) => setDestination(event.currentTarget.value)}
        />
        {error && (
          <p id="panel-error" class="message error" role="alert">
            {error}
          </p>
        )}
        <div class="panel-actions">
          <button
            type="submit"
            class="primary"
            aria-disabled={busy}
            onClick={(event) => {
              if (!event.ctrlKey && !event.metaKey && !event.shiftKey) return;
              event.preventDefault();
              void go(dispositionFor(event), { region, destination: destination.trim() || undefined });
            }}
          >
            Open
          </button>
          <input
            type="text"
            aria-label="Name for the pinned destination"
            placeholder="Name, e.g. EC2 in eu-west-1"
            value={label}
            onInput={(event) => setLabel(event.currentTarget.value)}
          />
          <button type="button" onClick={pin}>
            Pin destination
          </button>
        </div>
      </form>
      {PairTools && (
        <PairTools accountId={id} accountName={name} permissionSet={permissionSet} region={region} destination={destination.trim() || undefined} />
      )}
      {pinned.length > 0 && (
        <ul class="pinned" aria-label="Pinned destinations">
          {pinned.map((entry, index) => (
            <li key={entry.label}>
              <button
                type="button"
                class="pin"
                title={`${entry.destination}${entry.region ? ` in ${entry.region}` : ''}`}
                onClick={(event) => void go(dispositionFor(event), { destination: entry.destination, region: entry.region ?? region })}
              >
                {entry.label}
              </button>
              <button
                type="button"
                class="link unpin"
                aria-label={`Remove pinned destination ${entry.label}`}
                onClick={() => onPinnedChange(pinned.filter((_, at) => at !== index))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
