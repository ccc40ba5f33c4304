/** What the popup loads after its first frame to search (one chunk): the search, and the painting of its matches in the drawn rows. */
import type { CompactList } from '../../list-cache/compact-list.ts';
import { buildSearchIndex, makeSearcher, warmUp } from '../search.ts';
import type { LoadedSearch } from './search-box.tsx';
import { paintMatches } from './match-highlights.ts';

/** The search of a list, its index built now and warmed up in a later task (search.ts, warmUp). */
export function searchOf(list: CompactList): LoadedSearch {
  const index = buildSearchIndex(list);
  setTimeout(() => warmUp(index));
  return { searcher: makeSearcher(index), paintMatches };
}
