/**
 * Search in the popup. The index is built once per list: per row, the lower-cased text of what can
 * be searched (account name, ID, permission set, then tags, OU path, description, regions). A
 * keystroke is then a scan with indexOf, and only over the rows the previous query kept when the
 * new query can only narrow it (typing on), for the words it did not have; a backspace finds its
 * query, ranked, in a small cache.
 *
 * Every word typed must appear somewhere in the row, in any order. Ranking: rows where every word is
 * a whole name, ID or permission set come first (exact), then rows where every word starts a word
 * (prefix), then the rest; within each, favourites, then recently used (most recent first), then
 * the list's own order.
 */
import {
  accountId,
  accountIndex,
  accountName,
  ouPath,
  permissionSetDescription,
  permissionSetIndex,
  permissionSetName,
  regions,
  rowCount,
  tags,
} from '../list-cache/compact-list.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import { matchRanges, queryWords } from './highlight.ts';
import type { Match } from './highlight.ts';

export interface SearchIndex {
  readonly size: number;
  /** Per row: "\n" + name + "\n" + ID + "\n" + permission set + "\n", lower-cased. */
  readonly primary: readonly string[];
  /** Per row: primary, then tags, OU path, description and regions, each field ending in "\n". */
  readonly haystack: readonly string[];
  /** Per row: the haystack with every word boundary turned into "\n", so "starts a word" is one includes(). */
  readonly wordStarts: readonly string[];
}

export function buildSearchIndex(list: CompactList): SearchIndex {
  const size = rowCount(list);
  // Each account's and each permission set's text is made once, at its first row.
  const accountPrimary: string[] = [];
  const accountMore: string[] = [];
  const setPrimary: string[] = [];
  const setMore: string[] = [];
  const primary: string[] = new Array<string>(size);
  const haystack: string[] = new Array<string>(size);
  const wordStarts: string[] = new Array<string>(size);
  const accountStarts: string[] = [];
  const setStarts: string[] = [];
  for (let row = 0; row < size; row++) {
    const account = accountIndex(list, row);
    const set = permissionSetIndex(list, row);
    if (accountPrimary[account] === undefined) {
      accountPrimary[account] = `\n${accountName(list, row)}\n${accountId(list, row)}\n`.toLowerCase();
      accountMore[account] = `${tags(list, row).join(' ')}\n${ouPath(list, row)}\n${regions(list, row).join(' ')}\n`.toLowerCase();
    }
    if (setPrimary[set] === undefined) {
      setPrimary[set] = `${permissionSetName(list, row)}\n`.toLowerCase();
      setMore[set] = `${permissionSetDescription(list, row)}\n`.toLowerCase();
    }
    primary[row] = (accountPrimary[account] as string) + (setPrimary[set] as string);
    haystack[row] = (primary[row] as string) + (accountMore[account] as string) + (setMore[set] as string);
    accountStarts[account] ??= boundariesToNewlines(accountPrimary[account] as string);
    setStarts[set] ??= boundariesToNewlines(setPrimary[set] as string);
    wordStarts[row] =
      (accountStarts[account] as string) +
      (setStarts[set] as string) +
      boundariesToNewlines((accountMore[account] as string) + (setMore[set] as string));
  }
  return { size, primary, haystack, wordStarts };
}

const BOUNDARIES = /[ \-_/:.@=]/g;

function boundariesToNewlines(text: string): string {
  return text.replace(BOUNDARIES, '\n');
}

/** What ranks a row after how well it matched. */
export interface Preference {
  favourites: ReadonlySet<number>;
  /** Row -> place among the recently used (0 = the most recent). */
  recent: ReadonlyMap<number, number>;
}

const EXACT = 0;
const PREFIX = 1;
const SUBSTRING = 2;
function tierOf(index: SearchIndex, row: number, wholeWords: readonly string[], wordStarts: readonly string[]): number {
  const primary = index.primary[row] as string;
  let exact = true;
  for (const whole of wholeWords) {
    if (!primary.includes(whole)) {
      exact = false;
      break;
    }
  }
  if (exact) return EXACT;
  const starts = index.wordStarts[row] as string;
  for (const start of wordStarts) if (!starts.includes(start)) return SUBSTRING;
  return PREFIX;
}

/** Orders matched rows (given in list order) by tier, then favourite / recent / the rest. */
export function rank(index: SearchIndex, matches: ArrayLike<number>, words: readonly string[], preference: Preference): Int32Array {
  const buckets: number[][] = [[], [], [], [], [], [], [], [], []];
  const wholeWords = words.map((word) => `\n${word}\n`);
  // A word starts a word where it follows a boundary; in wordStarts every boundary is "\n", the word's own too.
  const wordStarts = words.map((word) => `\n${boundariesToNewlines(word)}`);
  for (let i = 0; i < matches.length; i++) {
    const row = matches[i] as number;
    const kind = preference.favourites.has(row) ? 0 : preference.recent.has(row) ? 1 : 2;
    (buckets[tierOf(index, row, wholeWords, wordStarts) * 3 + kind] as number[]).push(row);
  }
  const ranked = new Int32Array(matches.length);
  let at = 0;
  buckets.forEach((bucket, position) => {
    if (position % 3 === 1) bucket.sort((a, b) => (preference.recent.get(a) as number) - (preference.recent.get(b) as number));
    ranked.set(bucket, at);
    at += bucket.length;
  });
  return ranked;
}

export interface Searcher {
  /** The rows matching every word of the query, ranked. A blank query matches nothing: browse instead. */
  search(query: string, preference: Preference): Int32Array;
  /** What of a shown text the query matches, for the rows to highlight (list/match-highlights.ts): here so that it loads with the search, not before the list's first frame. */
  match(query: string): Match;
}

const REMEMBERED_QUERIES = 24;

/** A remembered query's matches in list order, and the last ranking of them with the preference it used. */
interface Remembered {
  matches: Int32Array;
  ranked?: { preference: Preference; order: Int32Array };
}

export function makeSearcher(index: SearchIndex): Searcher {
  /** Normalised query -> what it found, most recent last. */
  const remembered = new Map<string, Remembered>();

  function find(words: readonly string[]): Remembered {
    const key = words.join(' ');
    const known = remembered.get(key);
    if (known) {
      remembered.delete(key);
      remembered.set(key, known);
      return known;
    }
    // Start from the narrowest remembered query this one can only narrow: each of its words is
    // inside one of ours, so every row we match, it matched too (and holds the words we share).
    let candidates: Int32Array | undefined;
    let sharedWords: readonly string[] = [];
    for (const [rememberedKey, { matches }] of remembered) {
      if (candidates && matches.length >= candidates.length) continue;
      const rememberedWords = rememberedKey.split(' ');
      if (rememberedWords.every((old) => words.some((word) => word.includes(old)))) {
        candidates = matches;
        sharedWords = rememberedWords;
      }
    }
    const toCheck = words.filter((word) => !sharedWords.includes(word));
    const found = new Int32Array(candidates ? candidates.length : index.size);
    let count = 0;
    const haystack = index.haystack;
    const scan = (row: number) => {
      const text = haystack[row] as string;
      for (const word of toCheck) if (!text.includes(word)) return;
      found[count++] = row;
    };
    if (candidates) for (const row of candidates) scan(row);
    else for (let row = 0; row < index.size; row++) scan(row);
    const entry: Remembered = { matches: found.slice(0, count) };
    remembered.set(key, entry);
    if (remembered.size > REMEMBERED_QUERIES) remembered.delete(remembered.keys().next().value as string);
    return entry;
  }

  return {
    match(query) {
      const words = queryWords(query);
      return (text) => matchRanges(text, words);
    },
    search(query, preference) {
      const words = queryWords(query);
      if (words.length === 0) return new Int32Array(0);
      const entry = find(words);
      if (entry.ranked?.preference !== preference) entry.ranked = { preference, order: rank(index, entry.matches, words, preference) };
      // A copy: each search is a new list of items to the popup (its selection starts again at the first row).
      return entry.ranked.order.slice();
    },
  };
}
