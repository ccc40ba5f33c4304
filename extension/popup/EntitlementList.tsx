/**
 * The signed-in view: search box (focused on open), the filtered list, and the status line.
 * Keyboard: type to filter, ↑/↓ to move, Enter to open, Esc to clear the search.
 * Renders every row; virtualisation for very long lists is a later issue (popup at scale).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Entitlement } from '../../shared/api/contract.ts';
import type { SignedInState } from '../messages.ts';
import { sendToBackground } from './background-client.ts';
import { EntitlementRow, rowId } from './EntitlementRow.tsx';
import { filterEntitlements } from './filter.ts';
import { Logo } from './Logo.tsx';
import { entitlementKey } from './entitlement-key.ts';
import { moveSelection } from './selection.ts';

export type RefreshStatus = { kind: 'idle' } | { kind: 'running' } | { kind: 'failed'; message: string };

interface Props {
  state: SignedInState;
  refresh: RefreshStatus;
  onSignOut(): void;
  onSessionEnded(notice?: string): void;
}

type Status = { tone: 'info' | 'error'; text: string } | undefined;

const LIST_ID = 'entitlement-list';

export function EntitlementList({ state, refresh, onSignOut, onSessionEnded }: Props) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const [opening, setOpening] = useState<string | undefined>();
  const [status, setStatus] = useState<Status>();
  const search = useRef<HTMLInputElement>(null);

  // The API sends the list in display order.
  const all = state.entitlements;
  const visible = useMemo(() => filterEntitlements(all, query), [all, query]);
  const current = visible[selected];

  useEffect(() => search.current?.focus(), []);
  useEffect(() => setSelected(visible.length > 0 ? 0 : -1), [query, visible.length]);
  useEffect(() => {
    if (current) document.getElementById(rowId(current))?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  async function open(entitlement: Entitlement) {
    if (opening) return;
    const label = `${entitlement.accountName} as ${entitlement.permissionSet}`;
    setOpening(entitlementKey(entitlement));
    setStatus({ tone: 'info', text: `Opening ${label}…` });
    const reply = await sendToBackground({
      type: 'console/open',
      target: { accountId: entitlement.accountId, permissionSet: entitlement.permissionSet, region: entitlement.regions[0] },
    });
    setOpening(undefined);
    if (reply.ok) setStatus({ tone: 'info', text: `Opened ${label} in a new tab.` });
    else if (reply.kind === 'signed-out' || reply.kind === 'expired') onSessionEnded(reply.message);
    else setStatus({ tone: 'error', text: `Could not open ${label}. ${reply.message}` });
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((index) => moveSelection(index, event.key === 'ArrowDown' ? 1 : -1, visible.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current) void open(current);
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      setQuery('');
    }
  }

  const shownStatus: Status =
    status ??
    (refresh.kind === 'running'
      ? { tone: 'info', text: 'Refreshing…' }
      : refresh.kind === 'failed'
        ? { tone: 'error', text: `Could not refresh the list. ${refresh.message}` }
        : undefined);

  return (
    <main class="popup signed-in">
      <header class="brand">
        <Logo />
        <h1>Switchyard</h1>
        <span class="user" title={state.user.id}>
          {state.user.displayName}
        </span>
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div class="search">
        <label for="search" class="visually-hidden">
          Search accounts and roles
        </label>
        <input
          id="search"
          ref={search}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={current ? rowId(current) : undefined}
          placeholder="Search account, id or role"
          autocomplete="off"
          spellcheck={false}
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <span class="count" aria-live="polite">
          {visible.length === all.length ? `${all.length}` : `${visible.length} of ${all.length}`}
        </span>
      </div>
      {visible.length > 0 ? (
        <ul id={LIST_ID} role="listbox" aria-label="Accounts and roles" class="list">
          {visible.map((entitlement, index) => (
            <EntitlementRow
              key={entitlementKey(entitlement)}
              entitlement={entitlement}
              selected={index === selected}
              opening={opening === entitlementKey(entitlement)}
              onOpen={() => void open(entitlement)}
              onHover={() => setSelected(index)}
            />
          ))}
        </ul>
      ) : (
        <p id={LIST_ID} class="empty">
          {all.length === 0 ? 'No accounts are assigned to you yet.' : `Nothing matches “${query.trim()}”.`}
        </p>
      )}
      <footer class={`status ${shownStatus?.tone ?? ''}`} role={shownStatus?.tone === 'error' ? 'alert' : 'status'}>
        {shownStatus && shownStatus.text}
      </footer>
    </main>
  );
}
