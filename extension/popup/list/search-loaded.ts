/** What the popup loads after its first frame to search (one chunk): the search, and the painting of its matches in the drawn rows. */
import type { CompactList } from '../../list-cache/compact-list.ts';
import { buildSearchIndex, makeSearcher, warmUpSteps } from '../search.ts';
import type { LoadedSearch } from './search-box.tsx';
import { paintMatches } from './match-highlights.ts';

/** The search of a list, its index built now and warmed up in later tasks (search.ts, warmUpSteps). */
export function searchOf(list: CompactList): LoadedSearch {
  const index = buildSearchIndex(list);
  const steps = warmUpSteps(index);
  const step = () => {
    steps.shift()?.();
    if (steps.length > 0) setTimeout(step);
  };
  setTimeout(step);
  return { searcher: makeSearcher(index), paintMatches };
}
