/**
 * The parts of the drawn rows that match the search, painted with the CSS Custom Highlight API
 * (`::highlight(switchyard-match)` in popup.css) rather than a <mark> element per match: a keystroke then
 * adds no element to a row for its highlights, and the browser lays out nothing again for them (each row
 * whose marks changed cost Chromium about 50 µs of layout, a third of a keystroke at 10,000 entries).
 * Where the browser has no CSS.highlights (the web page in an old browser), matches are not highlighted.
 * Loaded with the search (list/search-loaded.ts), after the list's first frame.
 */
import type { Match } from '../highlight.ts';

export const MATCH_HIGHLIGHT = 'switchyard-match';
/** The texts of a row that a search matches (only rows have them in the list). */
const SEARCHED_TEXTS = ['account-name', 'account-id', 'permission-set'];

/** The matches of `match` in the drawn rows of `list`, or none. */
export function paintMatches(list: HTMLElement | null, match: Match | undefined): void {
  const highlights = globalThis.CSS?.highlights;
  if (!highlights) return;
  if (!match || !list) {
    highlights.delete(MATCH_HIGHLIGHT);
    return;
  }
  // One highlight, emptied and filled again at each keystroke; the texts are found by class, with no selector to match.
  let highlight = highlights.get(MATCH_HIGHLIGHT);
  if (highlight) highlight.clear();
  else highlights.set(MATCH_HIGHLIGHT, (highlight = new Highlight()));
  for (const searched of SEARCHED_TEXTS)
    for (const element of list.getElementsByClassName(searched)) {
      const text = element.firstChild;
      if (!(text instanceof Text)) continue;
      for (const [startOffset, endOffset] of match(text.data))
        highlight.add(new StaticRange({ startContainer: text, startOffset, endContainer: text, endOffset }));
    }
}
