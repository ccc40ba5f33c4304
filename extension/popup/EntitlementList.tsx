/**
 * The signed-in view: header (person, time left, refresh state, sign out), search box (focused on
 * open), the virtual list (only the rows that show are in the DOM), and the status line.
 * Keyboard (focus stays in the search box; the list follows with aria-activedescendant):
 *   ↑/↓ row, Page Up/Down page, Home/End first/last, Enter open (Ctrl/Cmd: background tab,
 *   Shift: new window), → region and destination, Alt+F favourite, Ctrl/Cmd+C (nothing selected)
 *   copy the account ID, Esc clear, / focus the search box.
 */
import { regionNamedBy } from './destination-region.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { CompactList } from '../list-cache/compact-list.ts';
import { accountId as idOf, accountName as nameOf, permissionSetName, regions as regionsOf, rowCount, rowKey } from '../list-cache/compact-list.ts';
import type { ConsoleOpened } from '../messages.ts';
import { dispositionFor } from '../open-disposition.ts';
import type { Disposition, OpenedIn } from '../open-disposition.ts';
import { sendToBackground } from './background-client.ts';
import type { CachedList } from './cached-list-reader.ts';
import { EntitlementRow, ListHeader, optionId } from './EntitlementRow.tsx';
import { browseItems, headerAccount, isRow, isUnderItsAccount, rowsOfKeys } from './list-items.ts';
import { Logo } from './Logo.tsx';
import type { OpenChoice, OpenPanelProps } from './OpenPanel.tsx';
import { saveFavourites, savePinned, saveRecents, toggled, withRecent } from './preferences.ts';
import type { PinnedDestination, Preferences } from './preferences.ts';
import { queryWords } from './highlight.ts';
import type { Preference, Searcher } from './search.ts';
import { firstRow, moveSelection } from './selection.ts';
import type { Move } from './selection.ts';
import { clockTime, hasEnded, timeLeft } from './session-time.ts';
import { useVirtualizer } from './use-virtualizer.ts';

export type SyncStatus = { kind: 'idle' } | { kind: 'refreshing' } | { kind: 'offline'; message: string } | { kind: 'failed'; message: string };

interface Props {
  cached: CachedList;
  preferences: Preferences;
  sync: SyncStatus;
  onSignOut(): void;
  onSignInAgain(): void;
  onSessionEnded(notice?: string): void;
}

type Status = { tone: 'info' | 'error'; text: string } | undefined;

const LIST_ID = 'entitlement-list';
const LIST_HEIGHT = 420;
const ROW_HEIGHT = 38;
const ACCOUNT_HEADER_HEIGHT = 30;
const SECTION_HEIGHT = 24;
const PAGE_ROWS = Math.floor(LIST_HEIGHT / ROW_HEIGHT) - 1;
const WHERE: Record<OpenedIn, string> = {
  'new-tab': 'in a new tab',
  'background-tab': 'in a background tab',
  'new-window': 'in a new window',
  'reused-tab': 'in this console tab',
};

/** Region and destination panel, loaded the first time it is opened. */
let OpenPanel: ComponentType<OpenPanelProps> | undefined;

function itemSize(item: number): number {
  return isRow(item) ? ROW_HEIGHT : headerAccount(item) >= 0 ? ACCOUNT_HEADER_HEIGHT : SECTION_HEIGHT;
}

/**
 * Search is loaded and its index built once per list, after the first frame: the list is drawn
 * without them. Until then (a few milliseconds) a query shows the whole list.
 */
function useSearcher(list: CompactList): Searcher | undefined {
  const [built, setBuilt] = useState<{ list: CompactList; searcher: Searcher }>();
  useEffect(() => {
    let current = true;
    void import('./search.ts').then(({ buildSearchIndex, makeSearcher }) => {
      if (current) setBuilt({ list, searcher: makeSearcher(buildSearchIndex(list)) });
    });
    return () => {
      current = false;
    };
  }, [list]);
  return built?.list === list ? built.searcher : undefined;
}

export function EntitlementList({ cached, preferences, sync, onSignOut, onSignInAgain, onSessionEnded }: Props) {
  const { list, meta } = cached;
  const [query, setQuery] = useState('');
  const [favourites, setFavourites] = useState(preferences.favourites);
  const [pinned, setPinned] = useState(preferences.pinned);
  const [status, setStatus] = useState<Status>();
  const [opening, setOpening] = useState<number>();
  const [panelItem, setPanelItem] = useState<number>();
  const [panelLoaded, setPanelLoaded] = useState(!!OpenPanel);
  const [now, setNow] = useState(() => Date.now());
  const search = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const searcher = useSearcher(list);
  const expired = cached.ended === true || hasEnded(meta.expiresAt, now);

  // Recents change the order on the next open, never under the cursor.
  const recentRows = useMemo(() => rowsOfKeys(list, preferences.recents), [list, preferences.recents]);
  const favouriteRows = useMemo(() => rowsOfKeys(list, favourites), [list, favourites]);
  const preference = useMemo<Preference>(
    () => ({ favourites: new Set(favouriteRows), recent: new Map(recentRows.map((row, place) => [row, place])) }),
    [favouriteRows, recentRows],
  );
  const browse = useMemo(() => browseItems(list, favouriteRows, recentRows), [list, favouriteRows, recentRows]);
  const words = useMemo(() => queryWords(query), [query]);
  const items = useMemo(
    () => (words.length > 0 && searcher ? searcher.search(query, preference) : browse),
    [words, query, preference, browse, searcher],
  );

  // The selection belongs to one list of items: a new query starts again at the first row.
  const [selection, setSelection] = useState({ items, at: firstRow(items) });
  const active = selection.items === items ? selection.at : firstRow(items);
  const activeRow = active >= 0 ? (items[active] as number) : -1;

  // A new getItemKey per list of items tells the virtualizer to measure again (sizes differ by item kind).
  const getItemKey = useCallback((index: number) => `${index}:${items[index]}`, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    estimateSize: (index) => itemSize(items[index] as number),
    getScrollElement: () => scroller.current,
    getItemKey,
    overscan: 4,
    initialRect: { width: 380, height: LIST_HEIGHT },
  });

  useEffect(() => search.current?.focus(), []);
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    const slash = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || target?.closest('input, textarea, select')) return;
      event.preventDefault();
      search.current?.focus();
    };
    document.addEventListener('keydown', slash);
    return () => {
      clearInterval(tick);
      document.removeEventListener('keydown', slash);
    };
  }, []);

  function select(at: number) {
    setSelection({ items, at });
    if (at >= 0) virtualizer.scrollToIndex(at, { align: 'auto' });
  }

  function move(how: Move) {
    select(moveSelection(items, active, how));
  }

  async function open(row: number, disposition: Disposition, choice: OpenChoice = {}): Promise<string | undefined> {
    if (expired) {
      const text = 'Your session has ended. Sign in again to open consoles.';
      setStatus({ tone: 'error', text });
      return text;
    }
    if (opening !== undefined) return undefined;
    const accountId = idOf(list, row);
    const accountName = nameOf(list, row);
    const regions = regionsOf(list, row);
    const permissionSet = permissionSetName(list, row);
    const label = `${accountName} as ${permissionSet}`;
    // A pasted console URL that names its region opens there; another region would contradict it.
    const region = regionNamedBy(choice.destination) ? undefined : (choice.region ?? regions[0]);
    setOpening(row);
    setStatus({ tone: 'info', text: `Opening ${label}…` });
    const reply = await sendToBackground({
      type: 'console/open',
      target: { accountId, permissionSet, ...(region ? { region } : {}), ...(choice.destination ? { destination: choice.destination } : {}) },
      disposition,
    });
    setOpening(undefined);
    if (reply.ok) {
      setStatus({ tone: 'info', text: openedText(label, reply) });
      void saveRecents(withRecent(preferences.recents, rowKey(list, row)));
      return undefined;
    }
    if (reply.kind === 'signed-out' || reply.kind === 'expired') onSessionEnded(reply.message);
    const text = `Could not open ${label}. ${reply.message}`;
    setStatus({ tone: 'error', text });
    return text;
  }

  function toggleFavourite(row: number) {
    const next = toggled(favourites, rowKey(list, row));
    setFavourites(next);
    void saveFavourites(next);
  }

  function copyAccountId(accountId: string) {
    void navigator.clipboard.writeText(accountId).then(
      () => setStatus({ tone: 'info', text: `Copied account ID ${accountId}.` }),
      () => setStatus({ tone: 'error', text: 'Could not copy to the clipboard.' }),
    );
  }

  function showPanel(item: number) {
    setPanelItem(item);
    if (!OpenPanel)
      void import('./OpenPanel.tsx').then((module) => {
        OpenPanel = module.OpenPanel;
        setPanelLoaded(true);
      });
  }

  function closePanel() {
    setPanelItem(undefined);
    search.current?.focus();
  }

  function updatePinned(next: PinnedDestination[]) {
    setPinned(next);
    void savePinned(next);
  }

  function onKeyDown(event: KeyboardEvent) {
    const input = event.currentTarget as HTMLInputElement;
    const handled = () => event.preventDefault();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        handled();
        return move({ kind: 'step', delta: event.key === 'ArrowDown' ? 1 : -1 });
      case 'PageDown':
      case 'PageUp':
        handled();
        return move({ kind: 'page', delta: event.key === 'PageDown' ? 1 : -1, rows: PAGE_ROWS });
      case 'Home':
      case 'End':
        if (event.shiftKey) return;
        handled();
        return move({ kind: event.key === 'Home' ? 'first' : 'last' });
      case 'Enter':
        handled();
        if (activeRow >= 0) void open(activeRow, dispositionFor(event));
        return;
      case 'Escape':
        if (!query) return;
        handled();
        return setQuery('');
      case 'ArrowRight':
        if (activeRow >= 0 && input.selectionStart === input.value.length && input.selectionEnd === input.value.length) {
          handled();
          showPanel(active);
        }
        return;
    }
    if (event.altKey && event.code === 'KeyF' && activeRow >= 0) {
      handled();
      toggleFavourite(activeRow);
    } else if ((event.ctrlKey || event.metaKey) && event.key === 'c' && input.selectionStart === input.selectionEnd && activeRow >= 0) {
      handled();
      copyAccountId(idOf(list, activeRow));
    }
  }

  function onInput(event: Event) {
    setQuery((event.currentTarget as HTMLInputElement).value);
    if (virtualizer.scrollOffset) virtualizer.scrollToOffset(0);
  }

  const favouriteSet = preference.favourites;
  const left = timeLeft(meta.expiresAt, now);
  const panelRow = panelItem !== undefined && isRow(items[panelItem] ?? -1) ? (items[panelItem] as number) : undefined;

  return (
    <main class="popup signed-in">
      <header class="brand">
        <Logo />
        <h1>Switchyard</h1>
        <SyncIndicator sync={sync} fetchedAt={meta.fetchedAt} />
        <span class="user" title={meta.userId}>
          {meta.displayName}
          {left && <span class="time-left">{left}</span>}
        </span>
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {expired && (
        <p class="message warning expired" role="alert">
          Your session ended{meta.expiresAt && !cached.ended ? ` at ${clockTime(meta.expiresAt)}` : ''}. The list below is from before.{' '}
          <button type="button" class="link" onClick={onSignInAgain}>
            Sign in again
          </button>
        </p>
      )}
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
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          aria-describedby="search-help"
          placeholder="Search account, ID, role, tag or OU"
          autocomplete="off"
          spellcheck={false}
          value={query}
          onInput={onInput}
          onKeyDown={onKeyDown}
        />
        <span class="count" aria-live="polite">
          {items === browse ? `${rowCount(list)}` : `${items.length} of ${rowCount(list)}`}
        </span>
        <span id="search-help" class="visually-hidden">
          Enter opens, Control Enter opens in a background tab, Shift Enter in a new window, Right arrow chooses region and destination, Alt F marks a
          favourite.
        </span>
      </div>
      <div class="list-area">
        <div
          id={LIST_ID}
          ref={scroller}
          role="listbox"
          aria-label="Accounts and roles"
          class={`list${items.length === 0 ? ' is-empty' : ''}${expired ? ' read-only' : ''}`}
          tabIndex={-1}
        >
          <div class="list-inner" role="presentation" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {virtualizer.getVirtualItems().map((virtual) => {
              const item = items[virtual.index] as number;
              if (!isRow(item)) return <ListHeader key={virtual.index} list={list} item={item} top={virtual.start} onCopyId={copyAccountId} />;
              return (
                <EntitlementRow
                  key={virtual.index}
                  list={list}
                  row={item}
                  item={virtual.index}
                  top={virtual.start}
                  words={words}
                  grouped={items === browse && isUnderItsAccount(list, items, virtual.index)}
                  selected={virtual.index === active}
                  favourite={favouriteSet.has(item)}
                  opening={opening === item}
                  onOpen={(at, event) => void open(items[at] as number, dispositionFor(event))}
                  onHover={(at) => setSelection({ items, at })}
                  onToggleFavourite={toggleFavourite}
                  onMore={showPanel}
                />
              );
            })}
          </div>
        </div>
        {items.length === 0 && (
          <p class="empty">{rowCount(list) === 0 ? 'No accounts are assigned to you yet.' : `Nothing matches “${query.trim()}”.`}</p>
        )}
        {panelRow !== undefined && panelLoaded && OpenPanel && (
          <OpenPanel
            list={list}
            row={panelRow}
            pinned={pinned}
            onOpen={(disposition, choice) => open(panelRow, disposition, choice)}
            onPinnedChange={updatePinned}
            onCopyId={copyAccountId}
            onClose={closePanel}
          />
        )}
      </div>
      <footer class={`status ${status?.tone ?? ''}`} role={status?.tone === 'error' ? 'alert' : 'status'}>
        {status?.text ?? (sync.kind === 'failed' ? `Could not refresh the list. ${sync.message}` : '')}
      </footer>
    </main>
  );
}

function openedText(label: string, reply: ConsoleOpened): string {
  return `Opened ${label} ${WHERE[reply.opened]}${reply.container ? ` (container “${reply.container}”)` : ''}.`;
}

function SyncIndicator({ sync, fetchedAt }: { sync: SyncStatus; fetchedAt: string }) {
  if (sync.kind === 'refreshing')
    return (
      <span class="sync refreshing" role="status" title="Refreshing the list">
        Refreshing…
      </span>
    );
  if (sync.kind === 'offline')
    return (
      <span class="sync offline" role="status" title={sync.message}>
        Offline · list from {clockTime(fetchedAt)}
      </span>
    );
  return null;
}
