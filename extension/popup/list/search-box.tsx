/**
 * The search box (focused on open) and how many rows it shows. The search itself (search.ts, with the
 * painting of its matches) is loaded and its index built once per list, after the first frame: the list is
 * drawn without them.
 * Until then (a few milliseconds) a query shows the whole list.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { CompactList } from '../../list-cache/compact-list.ts';
import type { Searcher } from '../search.ts';
import type { paintMatches } from './match-highlights.ts';
import { SHORTCUTS_HELP } from './keyboard-shortcuts.ts';

/** The search of the list, and how to paint its matches in the drawn rows; undefined until loaded. */
export interface LoadedSearch {
  searcher: Searcher;
  paintMatches: typeof paintMatches;
}

export function useSearch(list: CompactList): LoadedSearch | undefined {
  const [built, setBuilt] = useState<{ list: CompactList; search: LoadedSearch }>();
  useEffect(() => {
    let current = true;
    void import('./search-loaded.ts').then(({ searchOf }) => current && setBuilt({ list, search: searchOf(list) }));
    return () => {
      current = false;
    };
  }, [list]);
  return built?.list === list ? built.search : undefined;
}

interface Props {
  input: RefObject<HTMLInputElement>;
  query: string;
  /** The id of the list the box controls, and of its selected option (if any). */
  listId: string;
  activeOptionId: string | undefined;
  /** Rows shown by the search, or undefined when browsing (every row shows). */
  matches: number | undefined;
  rows: number;
  onInput(event: Event): void;
  onKeyDown(event: KeyboardEvent): void;
}

export function SearchBox({ input, query, listId, activeOptionId, matches, rows, onInput, onKeyDown }: Props) {
  useEffect(() => input.current?.focus(), [input]);
  return (
    <div class="search">
      <label for="search" class="visually-hidden">
        Search accounts and roles
      </label>
      <input
        id="search"
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOptionId}
        aria-describedby="search-help"
        placeholder="Search account, ID, role, tag or OU"
        autocomplete="off"
        spellcheck={false}
        value={query}
        onInput={onInput}
        onKeyDown={onKeyDown}
      />
      <span class="count" aria-live="polite">
        {matches === undefined ? `${rows}` : `${matches} of ${rows}`}
      </span>
      <span id="search-help" class="visually-hidden">
        {SHORTCUTS_HELP}
      </span>
    </div>
  );
}
