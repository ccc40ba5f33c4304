/**
 * The list's keyboard. Focus stays in the search box; the list follows it (aria-activedescendant).
 *   ↑/↓ row, Page Up/Down page, Home/End first/last row (Shift+Home/End still select text),
 *   Enter open (Ctrl/Cmd: background tab, Shift: new window), → (caret at the end) region and
 *   destination, Alt+F favourite, Ctrl/Cmd+C (no text selected) copy the account ID, Esc clear the
 *   search, / focus the search box from anywhere in the popup.
 */
import { useEffect } from 'preact/hooks';
import type { RefObject } from 'preact';
import { dispositionFor } from '../../open-disposition.ts';
import type { Disposition } from '../../open-disposition.ts';
import type { Move } from '../selection.ts';

/** What the search box tells screen readers about its keys. */
export const SHORTCUTS_HELP =
  'Enter opens, Control Enter opens in a background tab, Shift Enter in a new window, Right arrow chooses region and destination, Alt F marks a favourite.';

/** What the keys act on: the list, its selected row and the search. */
export interface ShortcutTarget {
  /** A row is selected: there is something to open, mark or copy. */
  rowSelected: boolean;
  /** The search box holds a query (Esc clears it). */
  searching: boolean;
  /** Rows a Page Up/Down moves. */
  pageRows: number;
  move(how: Move): void;
  open(disposition: Disposition): void;
  clearSearch(): void;
  showRegionAndDestination(): void;
  toggleFavourite(): void;
  copyAccountId(): void;
}

/** The search box's keydown. */
export function onSearchKeyDown(event: KeyboardEvent, target: ShortcutTarget): void {
  const input = event.currentTarget as HTMLInputElement;
  const handled = () => event.preventDefault();
  switch (event.key) {
    case 'ArrowDown':
    case 'ArrowUp':
      handled();
      return target.move({ kind: 'step', delta: event.key === 'ArrowDown' ? 1 : -1 });
    case 'PageDown':
    case 'PageUp':
      handled();
      return target.move({ kind: 'page', delta: event.key === 'PageDown' ? 1 : -1, rows: target.pageRows });
    case 'Home':
    case 'End':
      if (event.shiftKey) return;
      handled();
      return target.move({ kind: event.key === 'Home' ? 'first' : 'last' });
    case 'Enter':
      handled();
      if (target.rowSelected) target.open(dispositionFor(event));
      return;
    case 'Escape':
      if (!target.searching) return;
      handled();
      return target.clearSearch();
    case 'ArrowRight':
      if (target.rowSelected && input.selectionStart === input.value.length && input.selectionEnd === input.value.length) {
        handled();
        target.showRegionAndDestination();
      }
      return;
  }
  if (event.altKey && event.code === 'KeyF' && target.rowSelected) {
    handled();
    target.toggleFavourite();
  } else if ((event.ctrlKey || event.metaKey) && event.key === 'c' && input.selectionStart === input.selectionEnd && target.rowSelected) {
    handled();
    target.copyAccountId();
  }
}

/** "/" anywhere in the popup but a text field focuses the search box. */
export function useSlashFocusesSearch(search: RefObject<HTMLInputElement>): void {
  useEffect(() => {
    const slash = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || target?.closest('input, textarea, select')) return;
      event.preventDefault();
      search.current?.focus();
    };
    document.addEventListener('keydown', slash);
    return () => document.removeEventListener('keydown', slash);
  }, [search]);
}
