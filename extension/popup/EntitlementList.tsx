/**
 * The signed-in view: the session header, the search box, the virtual list (only the rows that show
 * are in the DOM) and the status line. This file draws the list and keeps its selection; each thing
 * the person can do with it lives in list/, named after what they see: keyboard-shortcuts.ts,
 * favourites.ts, recently-used.ts, open-console.ts, copy-account-id.ts, region-and-destination.ts.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { accountId, elevationOf, rowCount, rowKey } from '../list-cache/compact-list.ts';
import { dispositionFor } from '../open-disposition.ts';
import type { Disposition } from '../open-disposition.ts';
import type { RequestView } from '../../shared/api/requests.ts';
import type { CachedList } from './cached-list-reader.ts';
import { EntitlementRow, ListHeader, optionId } from './EntitlementRow.tsx';
import type { RowActions } from './EntitlementRow.tsx';
import { accountHeader, browseItems, headerAccount, isRow, isUnderItsAccount } from './list-items.ts';
import { copyAccountId } from './list/copy-account-id.ts';
import { elevationState } from './elevation/elevation-state.ts';
import { useElevation } from './list/elevation.ts';
import { useFavourites } from './list/favourites.ts';
import { onSearchKeyDown, useSlashFocusesSearch } from './list/keyboard-shortcuts.ts';
import { useOpenConsole } from './list/open-console.ts';
import { useOpenSessions } from './list/open-sessions.tsx';
import { useRecentlyUsed } from './list/recently-used.ts';
import type { SyncStatus } from './list/refresh-indicator.tsx';
import { useRegionAndDestination } from './list/region-and-destination.ts';
import { SearchBox, useSearch } from './list/search-box.tsx';
import { SessionEndedNotice, hasSessionEnded } from './list/session-ended.tsx';
import { SessionHeader, useNow } from './list/session-header.tsx';
import { StatusLine } from './list/status-line.tsx';
import type { Status } from './list/status-line.tsx';
import type { OpenChoice } from './OpenPanel.tsx';
import type { Preferences } from './preferences.ts';
import type { Preference } from './search.ts';
import { firstRow, moveSelection, selectionAfterHead } from './selection.ts';
import { useVirtualizer } from './use-virtualizer.ts';

interface Props {
  cached: CachedList;
  preferences: Preferences;
  sync: SyncStatus;
  onSignOut(): void;
  onSignInAgain(): void;
  onSessionEnded(notice?: string): void;
  /** Fetch the list again (a request of the person changed); `version` is the list's shown now. */
  onRefresh(version: string): Promise<void>;
}

const LIST_ID = 'entitlement-list';
const LIST_HEIGHT = 420;
const ROW_HEIGHT = 38;
const ACCOUNT_HEADER_HEIGHT = 30;
const SECTION_HEIGHT = 24;
const PAGE_ROWS = Math.floor(LIST_HEIGHT / ROW_HEIGHT) - 1;

function itemSize(item: number): number {
  return isRow(item) ? ROW_HEIGHT : headerAccount(item) >= 0 ? ACCOUNT_HEADER_HEIGHT : SECTION_HEIGHT;
}

/** The height of all the items, in a loop without calls: it runs on the way to the first frame, when nothing is compiled yet. */
function itemsHeight(items: Int32Array): number {
  let height = 0;
  const accountHeaders = accountHeader(0);
  for (let at = 0; at < items.length; at++) {
    const item = items[at] as number;
    height += item >= 0 ? ROW_HEIGHT : item <= accountHeaders ? ACCOUNT_HEADER_HEIGHT : SECTION_HEIGHT;
  }
  return height;
}

export function EntitlementList({ cached, preferences, sync, onSignOut, onSignInAgain, onSessionEnded, onRefresh }: Props) {
  const { list, meta } = cached;
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<Status>();
  const search = useRef<HTMLInputElement>(null);
  const rowActions = useRef<RowActions>() as { current: RowActions };
  const scroller = useRef<HTMLDivElement>(null);
  const now = useNow();
  const ended = hasSessionEnded(cached, now);
  const loadedSearch = useSearch(list);
  const searcher = loadedSearch?.searcher;
  const [favouriteRows, toggleFavourite] = useFavourites(list, preferences.favourites);
  const [recentRows, recordRecent] = useRecentlyUsed(list, preferences.recents);
  const [sessions, recheckSessions] = useOpenSessions();
  const onOpened = (row: number) => {
    recordRecent(row);
    recheckSessions();
  };
  const [opening, openConsole] = useOpenConsole({ list, ended, show: setStatus, onOpened, onSessionEnded });
  const panel = useRegionAndDestination(search, preferences.pinned);
  const refreshList = useCallback(() => void onRefresh(meta.version), [onRefresh, meta.version]);
  const elevation = useElevation(list, now, refreshList);
  const copyId = (id: string) => copyAccountId(id, setStatus);
  useSlashFocusesSearch(search);

  const preference = useMemo<Preference>(
    () => ({ favourites: new Set(favouriteRows), recent: new Map(recentRows.map((row, place) => [row, place])) }),
    [favouriteRows, recentRows],
  );
  const browse = useMemo(() => browseItems(list, favouriteRows, recentRows), [list, favouriteRows, recentRows]);
  // A query of white space alone browses.
  const searching = query.trim() !== '';
  const items = useMemo(
    () => (searching && searcher ? searcher.search(query, preference) : browse),
    [searching, query, preference, browse, searcher],
  );

  // The selection belongs to one list of items: a new query starts again at the first row. When the whole list
  // takes its head's place (the keys may have moved the selection on the head), the selection carries over.
  const drawnFromHead = cached.rows !== undefined;
  const [selection, setSelection] = useState({ items, at: firstRow(items), drawnFromHead, version: meta.version });
  const selectAt = (at: number) => setSelection({ items, at, drawnFromHead, version: meta.version });
  const active =
    selection.items === items
      ? selection.at
      : selection.drawnFromHead && !drawnFromHead && selection.version === meta.version && !searching
        ? selectionAfterHead(selection.items, selection.at, items)
        : firstRow(items);
  const activeRow = active >= 0 ? (items[active] as number) : -1;

  // A new getItemKey per list of items tells the virtualizer to lay it out again (sizes differ by item kind);
  // the keys themselves are the positions, as the rows' keys are.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const getItemKey = useCallback((index: number) => index, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    estimateSize: (index) => itemSize(items[index] as number),
    getScrollElement: () => scroller.current,
    getItemKey,
    overscan: 4,
    initialRect: { width: 380, height: LIST_HEIGHT },
    totalSize: () => itemsHeight(items),
    // A search's items are all rows.
    uniformSize: items === browse ? undefined : ROW_HEIGHT,
  });
  // Carried over to the whole list's last row (End on the head): bring it into view, as End does.
  useEffect(() => {
    if (selection.drawnFromHead && !drawnFromHead && active >= 0 && active !== selection.at) virtualizer.scrollToIndex(active, { align: 'auto' });
    // Once, when the whole list comes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawnFromHead]);

  /** A row that opens only on request opens while its grant lasts; otherwise a click asks for it. */
  function openRow(row: number, disposition: Disposition, choice?: OpenChoice): Promise<string | undefined> {
    const rowElevation = elevationOf(list, row);
    const state = rowElevation && !ended ? elevationState(rowElevation, Date.now()) : undefined;
    if (state?.kind === 'on-request') {
      panel.close();
      elevation.openForm(row);
      return Promise.resolve(undefined);
    }
    // A pending request opens its panel, which says it waits and offers to cancel it.
    if (state?.kind === 'pending') {
      manageRow(row);
      return Promise.resolve(undefined);
    }
    return openConsole(row, disposition, choice);
  }

  function hasOpenRequest(row: number): boolean {
    const rowElevation = elevationOf(list, row);
    return !!rowElevation && elevationState(rowElevation, now).kind !== 'on-request';
  }

  /** The person's own request or grant of a row: cancel, extend or give it back. */
  function manageRow(row: number) {
    panel.close();
    elevation.openManage(row);
  }

  function changed(text: string) {
    elevation.closeManage();
    search.current?.focus();
    setStatus({ tone: 'info', text });
    refreshList();
  }

  function requested(request: RequestView) {
    elevation.closeForm();
    search.current?.focus();
    const label = `${request.accountName} as ${request.permissionSet}`;
    setStatus({
      tone: 'info',
      text: request.state === 'active' ? `Granted ${label}: open it now.` : `Requested ${label}: waiting for approval.`,
    });
    refreshList();
  }

  function select(at: number) {
    selectAt(at);
    if (at >= 0) virtualizer.scrollToIndex(at, { align: 'auto' });
  }

  // The rows' actions, as this render's: before any click reaches a row, and without drawing the rows again.
  useLayoutEffect(() => {
    rowActions.current = {
      onOpen: (at, event) => void openRow(items[at] as number, dispositionFor(event)),
      onHover: selectAt,
      onToggleFavourite: toggleFavourite,
      onMore: panel.show,
      onManage: manageRow,
    };
  });

  function onKeyDown(event: KeyboardEvent) {
    onSearchKeyDown(event, {
      rowSelected: activeRow >= 0,
      searching: query !== '',
      pageRows: PAGE_ROWS,
      move: (how) => select(moveSelection(items, active, how)),
      open: (disposition) => void openRow(activeRow, disposition),
      clearSearch: () => setQuery(''),
      showRegionAndDestination: () => panel.show(active),
      toggleFavourite: () => toggleFavourite(activeRow),
      copyAccountId: () => copyId(accountId(list, activeRow)),
    });
  }

  function onInput(event: Event) {
    setQuery((event.currentTarget as HTMLInputElement).value);
    if (virtualizer.scrollOffset) virtualizer.scrollToOffset(0);
  }

  const rows = cached.rows ?? rowCount(list);

  // After every render: the drawn rows' matches painted (or none while browsing).
  useLayoutEffect(() => loadedSearch?.paintMatches(scroller.current, searching ? loadedSearch.searcher.match(query) : undefined));
  // The same elements while their inputs stay the same: Preact skips them when a keystroke re-renders the list.
  const header = useMemo(() => <SessionHeader meta={meta} sync={sync} now={now} onSignOut={onSignOut} />, [meta, sync, now, onSignOut]);
  const statusLine = useMemo(() => <StatusLine status={status} sync={sync} />, [status, sync]);
  const formElevation = elevation.formRow !== undefined ? elevationOf(list, elevation.formRow) : undefined;
  const manageElevation = elevation.manageRow !== undefined ? elevationOf(list, elevation.manageRow) : undefined;
  const panelRow = panel.item !== undefined && isRow(items[panel.item] ?? -1) ? (items[panel.item] as number) : undefined;

  return (
    <main class="popup signed-in">
      {header}
      {ended && <SessionEndedNotice cached={cached} onSignInAgain={onSignInAgain} />}
      {sessions.FullNotice && !ended && <sessions.FullNotice />}
      {elevation.toApprove > 0 && !ended && (
        <p class="message to-approve-notice">
          <button type="button" class="link" onClick={() => elevation.setApproving(true)}>
            To approve ({elevation.toApprove})
          </button>
        </p>
      )}
      <SearchBox
        input={search}
        query={query}
        listId={LIST_ID}
        activeOptionId={active >= 0 ? optionId(active) : undefined}
        matches={items === browse ? undefined : items.length}
        rows={rows}
        onInput={onInput}
        onKeyDown={onKeyDown}
      />
      <div class="list-area">
        <div
          id={LIST_ID}
          ref={scroller}
          role="listbox"
          aria-label="Accounts and roles"
          class={`list${items.length === 0 ? ' is-empty' : ''}${ended ? ' read-only' : ''}`}
          tabIndex={-1}
        >
          <div class="list-inner" role="presentation" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {virtualizer.getVirtualItems().map((virtual) => {
              const item = items[virtual.index] as number;
              if (!isRow(item)) return <ListHeader key={virtual.index} list={list} item={item} top={virtual.start} onCopyId={copyId} />;
              const elevation = elevationOf(list, item);
              return (
                <EntitlementRow
                  key={virtual.index}
                  list={list}
                  row={item}
                  item={virtual.index}
                  top={virtual.start}
                  grouped={items === browse && isUnderItsAccount(list, items, virtual.index)}
                  selected={virtual.index === active}
                  favourite={preference.favourites.has(item)}
                  sessionOpen={sessions.open.size > 0 && sessions.open.has(rowKey(list, item))}
                  opening={opening === item}
                  elevation={elevation}
                  // The time matters to a row only for its grant's time left.
                  now={elevation ? now : 0}
                  actions={rowActions}
                />
              );
            })}
          </div>
        </div>
        {items.length === 0 && <p class="empty">{rows === 0 ? 'No accounts are assigned to you yet.' : `Nothing matches “${query.trim()}”.`}</p>}
        {panelRow !== undefined && panel.Panel && (
          <panel.Panel
            list={list}
            row={panelRow}
            pinned={panel.pinned}
            onOpen={(disposition, choice) => openRow(panelRow, disposition, choice)}
            onPinnedChange={panel.updatePinned}
            onCopyId={copyId}
            onClose={panel.close}
            {...(hasOpenRequest(panelRow) ? { onManage: () => manageRow(panelRow) } : {})}
          />
        )}
        {elevation.formRow !== undefined && formElevation && elevation.Form && (
          <elevation.Form
            list={list}
            row={elevation.formRow}
            elevation={formElevation}
            onRequested={requested}
            onClose={() => {
              elevation.closeForm();
              search.current?.focus();
            }}
          />
        )}
        {elevation.manageRow !== undefined && manageElevation && elevation.Manage && (
          <elevation.Manage
            list={list}
            row={elevation.manageRow}
            elevation={manageElevation}
            now={now}
            onChanged={(_request, text) => changed(text)}
            onClose={() => {
              elevation.closeManage();
              search.current?.focus();
            }}
          />
        )}
        {elevation.approving && elevation.ToApprove && (
          <elevation.ToApprove
            onCount={elevation.setToApprove}
            onDecided={(text) => setStatus({ tone: 'info', text })}
            onClose={() => {
              elevation.setApproving(false);
              search.current?.focus();
            }}
          />
        )}
      </div>
      {statusLine}
    </main>
  );
}
