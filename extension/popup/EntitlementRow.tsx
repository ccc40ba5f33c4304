/** One item of the list: an (account, permission set) row, an account's header, or a section's header. */
import { Component } from 'preact';
import type { CompactList, RowElevation } from '../list-cache/compact-list.ts';
import {
  accountColor,
  accountId,
  accountName,
  colorOfAccount,
  idOfAccount,
  nameOfAccount,
  permissionSetDescription,
  permissionSetName,
} from '../list-cache/compact-list.ts';
import { elevationState } from './elevation/elevation-state.ts';
import { ALL_HEADER, FAVOURITES_HEADER, headerAccount } from './list-items.ts';
import { timeLeft } from './session-time.ts';

const FALLBACK_COLOR = '#8a94a6';

/** Whether each colour the list names is one CSS knows, asked once per colour rather than per row drawn. */
const knownColors = new Map<string, boolean>();

export function swatchColor(color: string): string {
  if (!color) return FALLBACK_COLOR;
  let known = knownColors.get(color);
  if (known === undefined) knownColors.set(color, (known = CSS.supports('color', color)));
  return known ? color : FALLBACK_COLOR;
}

export function optionId(item: number): string {
  return `option-${item}`;
}

export interface RowActions {
  onOpen(item: number, event: MouseEvent): void;
  onHover(item: number): void;
  onToggleFavourite(row: number): void;
  onMore(item: number): void;
  /** The badge of the person's pending request or grant was clicked: cancel, extend or give it back. */
  onManage(row: number): void;
}

export interface RowProps {
  list: CompactList;
  row: number;
  item: number;
  top: number;
  /** Under its account's header: the account's name and ID are not repeated visibly. */
  grouped: boolean;
  selected: boolean;
  favourite: boolean;
  /** Its console session is open in this browser: a click goes there. */
  sessionOpen: boolean;
  opening: boolean;
  /** Present when the row opens only on request: its rule and the person's request or grant. */
  elevation: RowElevation | undefined;
  /** The time now (the grant's time left). */
  now: number;
  /** What a row's clicks do: the same object on every render (rows that did not change are not drawn again), holding the latest actions. */
  actions: { readonly current: RowActions };
}

/**
 * A row is drawn again only when one of its props changed: typing on often keeps the rows at the top, and
 * drawing sixteen rows again was most of a keystroke's own time at 10,000 entries. So its props are what it
 * shows, and its actions reach it through one object that stays the same (`actions`).
 */
export class EntitlementRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return (Object.keys(next) as (keyof RowProps)[]).some((name) => next[name] !== this.props[name]);
  }

  override render(props: RowProps) {
    const { list, row, item, grouped, selected, favourite, actions } = props;
    const description = permissionSetDescription(list, row);
    return (
      <div
        id={optionId(item)}
        role="option"
        aria-selected={selected}
        aria-busy={props.opening}
        class={`row${selected ? ' selected' : ''}${props.opening ? ' opening' : ''}${grouped ? ' grouped' : ''}`}
        style={{ transform: `translateY(${props.top}px)` }}
        onClick={(event) => actions.current.onOpen(item, event)}
        onAuxClick={(event) => event.button === 1 && actions.current.onOpen(item, event)}
        onMouseMove={selected ? undefined : () => actions.current.onHover(item)}
      >
        <span class="swatch" style={{ backgroundColor: swatchColor(accountColor(list, row)) }} aria-hidden="true" />
        <span class={grouped ? 'account visually-hidden' : 'account'}>
          <span class="account-name">{accountName(list, row)}</span> <span class="account-id">{accountId(list, row)}</span>{' '}
        </span>
        <span class="role">
          <span class="permission-set">{permissionSetName(list, row)}</span>
          {grouped && description && <span class="description"> {description}</span>}
        </span>
        {props.elevation && <ElevationBadge elevation={props.elevation} now={props.now} onManage={() => actions.current.onManage(row)} />}
        {favourite && <span class="visually-hidden">, favourite</span>}
        {props.sessionOpen && (
          <span class="session-open" title="Its console is signed in: a click goes there">
            <span class="visually-hidden">, console open</span>
          </span>
        )}
        {/* The icons are drawn by the style sheet (SVG masks), not taken from a font that may lack their glyph. */}
        <span
          class={`icon star${favourite ? ' on' : ''}`}
          title={favourite ? 'Remove from favourites (Alt+F)' : 'Add to favourites (Alt+F)'}
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            actions.current.onToggleFavourite(row);
          }}
        />
        <span
          class="icon more"
          title="Region, destination, account ID (→)"
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            actions.current.onMore(item);
          }}
        />
      </div>
    );
  }
}

/** "on request" until asked for; "pending" while the request waits; the time left while the grant lasts. */
function ElevationBadge({ elevation, now, onManage }: { elevation: RowElevation; now: number; onManage(): void }) {
  const state = elevationState(elevation, now);
  const manage = (event: MouseEvent) => {
    event.stopPropagation();
    onManage();
  };
  if (state.kind === 'active')
    return (
      <span class="badge granted" title="Granted on request: it opens until the grant ends" onClick={manage}>
        <span class="visually-hidden">, granted, </span>
        {timeLeft(state.until, now) ?? 'ending'}
      </span>
    );
  if (state.kind === 'pending')
    return (
      <span class="badge pending" title="Your request waits for approval" onClick={manage}>
        <span class="visually-hidden">, </span>pending
      </span>
    );
  return (
    <span class="badge on-request" title="Opens on request: a click asks for it">
      <span class="visually-hidden">, </span>on request
    </span>
  );
}

const SECTION_LABELS: Record<number, string> = { [FAVOURITES_HEADER]: 'Favourites', [ALL_HEADER]: 'All accounts' };

export function ListHeader({ list, item, top, onCopyId }: { list: CompactList; item: number; top: number; onCopyId(accountId: string): void }) {
  const account = headerAccount(item);
  if (account < 0) {
    return (
      <div role="presentation" class="section" style={{ transform: `translateY(${top}px)` }}>
        {SECTION_LABELS[item] ?? 'Recently used'}
      </div>
    );
  }
  const accountId = idOfAccount(list, account);
  return (
    <div
      role="presentation"
      class="account-header"
      style={{ transform: `translateY(${top}px)`, borderColor: swatchColor(colorOfAccount(list, account)) }}
    >
      <span class="account-header-name">{nameOfAccount(list, account)}</span>
      <span class="account-header-id">{accountId}</span>
      <span
        class="icon copy"
        title="Copy account ID"
        aria-hidden="true"
        onClick={(event) => {
          event.stopPropagation();
          onCopyId(accountId);
        }}
      />
    </div>
  );
}
