/** What the popup loads after its first frame to search (one chunk): the search, and the painting of its matches in the drawn rows. */
export { buildSearchIndex, makeSearcher, warmUp } from '../search.ts';
export { paintMatches } from './match-highlights.ts';
