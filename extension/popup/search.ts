/**
 * Search in the popup. A row is one (account, permission set) pair, and what a row shows is its
 * account's fields and its permission set's fields. So the index holds each account's and each
 * permission set's text once (lower-cased), never a text per row; how well a word matches an account or
 * a permission set is found when a row first needs it and kept per word while the word is in use; and a
 * row is then a few array reads. Exact names are looked up; a word typed on from another reads on from
 * where the shorter one started a word.
 *
 * Every word typed must appear somewhere in the row's fields (name, ID, permission set, tags, OU path,
 * description, regions), in any order. How well a word matches is the best over the row's fields:
 * exact (a whole name, ID or permission set), prefix (it starts the field, or follows one of
 * ` -_/:.@=` in it) or substring; a row ranks by its worst-matching word. Within each tier, favourites
 * come first, then recently used (most recent first), then the list's own order. Typing on only
 * checks the rows the previous query kept, for the words it did not have; a letter that leaves the word
 * where it was in every permission set and every account of those rows, or a word (added, or typed on)
 * that starts a word in every one of them, keeps them and their ranking without a look at a row; a
 * backspace finds its query, ranked, in a small cache.
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

/** The searchable fields of each account, or of each permission set, by its number: lower-cased, each ending in "\n" (a word never holds "\n", so it matches within one field). */
type Fields = string[];

export interface SearchIndex {
  readonly size: number;
  /** Per row, its account's number and its permission set's (read once here: a keystroke reads them for every candidate row). */
  readonly accountOf: Int32Array;
  readonly setOf: Int32Array;
  readonly accountFields: Fields;
  readonly setFields: Fields;
  /** Name or ID, and permission set name (lower-cased) -> the accounts, or the permission sets, that have it: what a word matches exactly. */
  readonly accountsNamed: Map<string, number[]>;
  readonly setsNamed: Map<string, number[]>;
  /** Per account, once a one-letter word first needs it: every character that starts a word of its fields (wordStartsOf). */
  readonly accountWordStarts: string[];
}

export function buildSearchIndex(list: CompactList): SearchIndex {
  const size = rowCount(list);
  const accountFields: Fields = [];
  const setFields: Fields = [];
  const accountOf = new Int32Array(size);
  const setOf = new Int32Array(size);
  const accountsNamed = new Map<string, number[]>();
  const setsNamed = new Map<string, number[]>();
  // Each account's and each permission set's fields are read at its first row.
  for (let row = 0; row < size; row++) {
    const account = (accountOf[row] = accountIndex(list, row));
    if (accountFields[account] === undefined)
      accountFields[account] = fieldsOf(
        [accountName(list, row), accountId(list, row)],
        [tags(list, row).join(' '), ouPath(list, row), regions(list, row).join(' ')],
        accountsNamed,
        account,
      );
    const set = (setOf[row] = permissionSetIndex(list, row));
    if (setFields[set] === undefined)
      setFields[set] = fieldsOf([permissionSetName(list, row)], [permissionSetDescription(list, row)], setsNamed, set);
  }
  return { size, accountOf, setOf, accountFields, setFields, accountsNamed, setsNamed, accountWordStarts: [] };
}

/** The text of the fields; the names are also kept in `named`, under `at`. */
function fieldsOf(names: string[], more: string[], named: Map<string, number[]>, at: number): string {
  for (const name of new Set(names.map((name) => name.toLowerCase()))) {
    const having = named.get(name);
    if (having) having.push(at);
    else named.set(name, [at]);
  }
  return `${[...names, ...more].join('\n')}\n`.toLowerCase();
}

const EXACT = 0;
const PREFIX = 1;
const SUBSTRING = 2;
const NONE = 3;

/** The characters after which a word starts (as well as at the start of a field). */
const BOUNDARIES = ' -_/:.@=\n';

/** Where `word` first starts a word of one of the fields in `text`; -1 when it is only inside one, -2 when in none. Exact names are looked up, not searched. */
function firstWordStart(text: string, word: string): number {
  let found = -2;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at === 0 || BOUNDARIES.includes(text[at - 1] as string)) return at;
    found = -1;
  }
  return found;
}

const tierOfStart = (at: number) => (at >= 0 ? PREFIX : at === -1 ? SUBSTRING : NONE);

/** Every character that starts a word of a field in `text`, once each: a one-letter word starts a word where it is one of them. */
function wordStartsOf(text: string): string {
  let starts = '';
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if ((at === 0 || BOUNDARIES.includes(text[at - 1] as string)) && !starts.includes(char)) starts += char;
  }
  return starts;
}

/** One word's tier per account and per permission set, found when first asked (0: not yet; else tier + 1). */
interface WordTiers {
  readonly word: string;
  readonly inAccounts: Uint8Array;
  /** Per account whose tier is PREFIX: where the word first starts a word, + 1 (0 when past what the array holds). */
  readonly startsAt: Uint16Array;
  readonly inSets: Uint8Array;
  /** The accounts, and the permission sets, whose name (or ID) is the word. */
  readonly exactAccounts: ReadonlySet<number>;
  readonly exactSets: ReadonlySet<number>;
  readonly anyExact: boolean;
  /** What is known of the word this one was typed on from (this one without its last letter), if it was remembered: its arrays only, so that no chain of earlier words stays alive. */
  readonly typedOn: Pick<WordTiers, 'inAccounts' | 'startsAt'> | undefined;
}

/**
 * The word's tier in an account's fields, + 1. Typed on from a word the account did not hold, it does not
 * hold it either; typed on from a word that started a word at some place, it still does where it still
 * reads on from there (one comparison, no search): typing a name letter by letter searches each
 * account's text once.
 */
function accountTier(index: SearchIndex, tiers: WordTiers, account: number): number {
  const known = tiers.inAccounts[account] as number;
  if (known !== 0) return known;
  const text = index.accountFields[account] as string;
  // The first letter of each word typed: one look at the account's word starts (kept for the next letter
  // typed alone), rather than a walk through every place the letter appears.
  if (tiers.word.length === 1) {
    const starts = (index.accountWordStarts[account] ??= wordStartsOf(text));
    return (tiers.inAccounts[account] = (starts.includes(tiers.word) ? PREFIX : text.includes(tiers.word) ? SUBSTRING : NONE) + 1);
  }
  const from = tiers.typedOn;
  let at: number | undefined;
  if (from) {
    const before = from.inAccounts[account] as number;
    if (before === NONE + 1) at = -2;
    else if (before === PREFIX + 1) {
      const place = (from.startsAt[account] as number) - 1;
      if (place >= 0 && text.charCodeAt(place + tiers.word.length - 1) === tiers.word.charCodeAt(tiers.word.length - 1)) at = place;
    }
  }
  at ??= firstWordStart(text, tiers.word);
  if (at >= 0 && at < 0xffff) tiers.startsAt[account] = at + 1;
  return (tiers.inAccounts[account] = tierOfStart(at) + 1);
}

/**
 * How well the word matches the row: the better of its permission set's fields and its account's. Exact
 * names are one lookup; the permission set is asked first (there are few, each asked once per word), and
 * where the word starts a word of it, the account's text is not searched at all: a word that names a
 * permission set ("admin") searches no account's text.
 */
function rowTier(index: SearchIndex, tiers: WordTiers, set: number, account: number): number {
  if (tiers.anyExact && (tiers.exactSets.has(set) || tiers.exactAccounts.has(account))) return EXACT;
  const inSet = setTier(index, tiers, set);
  if (inSet === PREFIX + 1) return PREFIX;
  const inAccount = accountTier(index, tiers, account);
  return (inAccount < inSet ? inAccount : inSet) - 1;
}

/** The word's tier in a permission set's fields, + 1. */
function setTier(index: SearchIndex, tiers: WordTiers, set: number): number {
  const known = tiers.inSets[set] as number;
  if (known !== 0) return known;
  return (tiers.inSets[set] = tierOfStart(firstWordStart(index.setFields[set] as string, tiers.word)) + 1);
}

/** What ranks a row after how well it matched. */
export interface Preference {
  favourites: ReadonlySet<number>;
  /** Row -> place among the recently used (0 = the most recent). */
  recent: ReadonlyMap<number, number>;
}

const FAVOURITE = 0;
const RECENT = 1;
const OTHER = 2;

/** Per row: favourite, recent or other, made once per preference: ranking then reads a row's kind, it looks nothing up. */
const kinds = new WeakMap<Preference, Uint8Array>();
function kindsOf(preference: Preference, size: number): Uint8Array {
  let known = kinds.get(preference);
  if (!known || known.length !== size) {
    known = new Uint8Array(size).fill(OTHER);
    for (const row of preference.recent.keys()) if (row < size) known[row] = RECENT;
    for (const row of preference.favourites) if (row < size) known[row] = FAVOURITE;
    kinds.set(preference, known);
  }
  return known;
}

/** Orders matched rows (given in list order, with their tiers) by tier, then favourite / recent / the rest, keeping the list's order within each. */
function rank(size: number, { matches, tiers }: Found, preference: Preference): Int32Array {
  const kind = kindsOf(preference, size);
  const bucketStarts = new Int32Array(10);
  for (let at = 0; at < matches.length; at++) (bucketStarts[(tiers[at] as number) * 3 + (kind[matches[at] as number] as number) + 1] as number)++;
  // All in one place (one tier, nobody's favourite or recent): the list's order is the ranking.
  if (bucketStarts.some((count) => count === matches.length)) return matches;
  for (let bucket = 1; bucket < 10; bucket++) (bucketStarts[bucket] as number) += bucketStarts[bucket - 1] as number;
  const ranked = new Int32Array(matches.length);
  const next = bucketStarts.slice(0, 9);
  for (let at = 0; at < matches.length; at++) {
    const row = matches[at] as number;
    ranked[(next[(tiers[at] as number) * 3 + (kind[row] as number)] as number)++] = row;
  }
  for (let tier = EXACT; tier <= SUBSTRING; tier++) {
    const bucket = tier * 3 + RECENT;
    ranked
      .subarray(bucketStarts[bucket], bucketStarts[bucket + 1])
      .sort((a, b) => (preference.recent.get(a) as number) - (preference.recent.get(b) as number));
  }
  return ranked;
}

export interface Searcher {
  /** The rows matching every word of the query, ranked. A blank query matches nothing: browse instead. */
  search(query: string, preference: Preference): Int32Array;
  /** What of a shown text the query matches, for the rows to highlight (list/match-highlights.ts): here so that it loads with the search, not before the list's first frame. */
  match(query: string): Match;
}

const REMEMBERED_QUERIES = 24;
/** Enough for every word of the remembered queries, in practice. */
const REMEMBERED_WORDS = 48;

/** A query's matches in list order, and how well each matched (its worst word's tier). */
interface Found {
  matches: Int32Array;
  tiers: Uint8Array;
}

/**
 * The rows of `rows` (or every row) that hold `word`, each at the worse of its tier in `tiers` (EXACT
 * without them) and the word's. A word the rows all hold (`required` false) only worsens their tiers, and
 * is not asked of a row that ranks last already. One word per pass over the rows: a loop this simple is
 * what the engine compiles best, and it runs over every candidate row on each keystroke.
 */
function withWord(index: SearchIndex, rows: Int32Array | undefined, tiers: Uint8Array | undefined, word: WordTiers, required: boolean): Found {
  const { setOf, accountOf } = index;
  const count = rows ? rows.length : index.size;
  const keptRows = new Int32Array(count);
  const keptTiers = new Uint8Array(count);
  let kept = 0;
  for (let at = 0; at < count; at++) {
    const row = rows ? (rows[at] as number) : at;
    const was = tiers ? (tiers[at] as number) : EXACT;
    const its = required || was < SUBSTRING ? rowTier(index, word, setOf[row] as number, accountOf[row] as number) : was;
    if (its === NONE) continue;
    keptRows[kept] = row;
    keptTiers[kept++] = its > was ? its : was;
  }
  return { matches: keptRows.slice(0, kept), tiers: keptTiers.slice(0, kept) };
}

/**
 * The rows of `candidates` (or every row) that hold every word of `toCheck`, with their tiers (their worst
 * word's), which `shared` (words the candidates all hold) can only worsen.
 */
function findIn(index: SearchIndex, candidates: Found | undefined, toCheck: readonly WordTiers[], shared: readonly WordTiers[]): Found {
  let found: Found | undefined;
  for (const word of toCheck) found = withWord(index, found ? found.matches : candidates?.matches, found?.tiers, word, true);
  for (const word of shared) found = withWord(index, found ? found.matches : candidates?.matches, found?.tiers, word, false);
  if (!found) throw new Error('a query without words');
  return found;
}

/** The same rows at the same tiers, where `one` is `other` narrowed (so the same number of rows is the same rows). */
function sameFound(one: Found, other: Found): boolean {
  if (one.matches.length !== other.matches.length) return false;
  for (let at = 0; at < one.tiers.length; at++) if (one.tiers[at] !== other.tiers[at]) return false;
  return true;
}

/** The permission sets of a query's rows, and their accounts, each once (an account's rows are together in list order). */
interface Owners {
  sets: Int32Array;
  accounts: Int32Array;
}

/** Found once per query's rows, when a key is first typed on from it. */
const ownersOfRows = new WeakMap<Int32Array, Owners>();

function ownersOf(index: SearchIndex, rows: Int32Array): Owners {
  const known = ownersOfRows.get(rows);
  if (known) return known;
  const seen = new Uint8Array(index.setFields.length);
  const sets: number[] = [];
  const accounts = new Int32Array(rows.length);
  let count = 0;
  for (let at = 0; at < rows.length; at++) {
    const row = rows[at] as number;
    const set = index.setOf[row] as number;
    const account = index.accountOf[row] as number;
    if (seen[set] === 0) {
      seen[set] = 1;
      sets.push(set);
    }
    if (count === 0 || accounts[count - 1] !== account) accounts[count++] = account;
  }
  const owners = { sets: Int32Array.from(sets), accounts: accounts.slice(0, count) };
  ownersOfRows.set(rows, owners);
  return owners;
}

/**
 * Whether every row of `found` holds as `accountHolds` says of its account, unless `word` starts a word of
 * every permission set of the rows (each row is then at PREFIX for it, whatever its account): asked per
 * permission set, then per account, never per row. An account's rows are together, so there are a third as
 * many accounts as rows, or fewer.
 */
function everyAccountHolds(index: SearchIndex, found: Found, word: WordTiers, accountHolds: (account: number) => boolean): boolean {
  const { sets, accounts } = ownersOf(index, found.matches);
  if (sets.every((set) => setTier(index, word, set) === PREFIX + 1)) return true;
  for (let at = 0; at < accounts.length; at++) if (!accountHolds(accounts[at] as number)) return false;
  return true;
}

/**
 * Whether `after` (`before` with a letter typed on) has the tier `before` had in each permission set and
 * in each account of `found`'s rows. Exact names aside, a row's tier for a word is made of those two, so
 * every row then keeps its tier. Every permission set is asked first (there are few): most keys that
 * change rows fail there.
 */
function holdsAsBefore(index: SearchIndex, found: Found, before: WordTiers, after: WordTiers): boolean {
  if (before.anyExact || after.anyExact) return false;
  for (let set = 0; set < index.setFields.length; set++) if (setTier(index, after, set) !== setTier(index, before, set)) return false;
  return everyAccountHolds(index, found, after, (account) => accountTier(index, after, account) === accountTier(index, before, account));
}

/**
 * Whether `word` starts a word (and names none) in every row of `found`, none of which ranks exact: a word
 * added to the query, or typed on from one of its words, then leaves every row at its tier ("payments p",
 * "ml st" → "ml sta").
 */
function startsAWordInEvery(index: SearchIndex, found: Found, word: WordTiers): boolean {
  if (word.anyExact || found.tiers.includes(EXACT)) return false;
  return everyAccountHolds(index, found, word, (account) => accountTier(index, word, account) === PREFIX + 1);
}

/** A remembered query's matches, and the last ranking of them with the preference it used. */
interface Remembered extends Found {
  ranked: { preference: Preference; order: Int32Array } | undefined;
}

/** Most recently used last: a map in insertion order, an entry moved to the end when used. */
function remember<T>(cache: Map<string, T>, key: string, make: () => T, most: number): T {
  const known = cache.get(key);
  if (known !== undefined) {
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  const made = make();
  cache.set(key, made);
  if (cache.size > most) cache.delete(cache.keys().next().value as string);
  return made;
}

/**
 * Searches the person will not see, run once per list while the popup waits for its first key, each in a
 * task of its own (a key typed meanwhile waits for one search at most). The browser compiles the search's
 * loops as they run, and compiles them again when a later search takes a path they have not taken: so
 * these type as a person does, from the list's own first account and permission set (a first letter, a
 * name letter by letter, a second word, a whole name, a backspace), twice, and the first query typed then
 * runs compiled code, as later ones do.
 */
export function warmUpSteps(index: SearchIndex): (() => void)[] {
  const firstWord = (fields: string | undefined, fallback: string) => /[a-z0-9]+/.exec(fields ?? '')?.[0] ?? fallback;
  const name = firstWord(index.accountFields[0], 'er');
  const set = firstWord(index.setFields[0], 're');
  const typed = name.slice(0, 3);
  const queries = ['e', name.slice(0, 1), name.slice(0, 2), typed, `${typed} ${set.slice(0, 1)}`, `${typed} ${set.slice(0, 2)}`, typed, name];
  // A favourite and a recent row, so that every step of ranking has run too.
  const preference: Preference = { favourites: new Set([0]), recent: new Map([[1, 0]]) };
  return [0, 1].flatMap(() => {
    const searcher = makeSearcher(index);
    return queries.map((query) => () => void searcher.search(query, preference));
  });
}

const typedOnFrom = (shorter: WordTiers | undefined): WordTiers['typedOn'] =>
  shorter && { inAccounts: shorter.inAccounts, startsAt: shorter.startsAt };

export function makeSearcher(index: SearchIndex): Searcher {
  const rememberedQueries = new Map<string, Remembered>();
  const rememberedWords = new Map<string, WordTiers>();
  const accountCount = index.accountFields.length;
  const setCount = index.setFields.length;
  const tiersOf = (word: string) =>
    remember(
      rememberedWords,
      word,
      () => {
        const exactAccounts = new Set(index.accountsNamed.get(word));
        const exactSets = new Set(index.setsNamed.get(word));
        return {
          word,
          inAccounts: new Uint8Array(accountCount),
          startsAt: new Uint16Array(accountCount),
          inSets: new Uint8Array(setCount),
          exactAccounts,
          exactSets,
          anyExact: exactAccounts.size + exactSets.size > 0,
          typedOn: typedOnFrom(rememberedWords.get(word.slice(0, -1))),
        };
      },
      REMEMBERED_WORDS,
    );

  /** The rows holding every word, in list order, with their tiers. */
  function find(words: readonly string[]): Remembered {
    return remember(
      rememberedQueries,
      words.join(' '),
      () => {
        // Start from the narrowest remembered query this one can only narrow: each of its words is
        // inside one of ours, so every row we match, it matched too (and holds the words we share).
        let candidates: Remembered | undefined;
        let sharedWords: readonly string[] = [];
        for (const [key, remembered] of rememberedQueries) {
          // Of equally narrow ones, the most recent (the query typed just before, most often).
          if (candidates && remembered.matches.length > candidates.matches.length) continue;
          const theirs = key.split(' ');
          if (theirs.every((old) => words.some((word) => word.includes(old)))) {
            candidates = remembered;
            sharedWords = theirs;
          }
        }
        // The new words first: only they can leave a candidate out; the shared ones only rank it, unless it ranks last already.
        const distinct = [...new Set(words)];
        const toCheck = distinct.filter((word) => !sharedWords.includes(word)).map(tiersOf);
        const shared = distinct.filter((word) => sharedWords.includes(word)).map(tiersOf);
        // The same rows at the same tiers: their ranking is the same too. (Every remembered query is an object of one shape, which the engine compiles for once.)
        const same = ({ matches, tiers, ranked }: Remembered): Remembered => ({ matches, tiers, ranked });
        // Ours are theirs with one word added, or with a letter typed on in one word (`shorter`): where that word
        // holds as the shorter one did, or starts a word in every row, nothing changed.
        const [word] = toCheck;
        if (candidates && word && toCheck.length === 1) {
          const theirs = new Set(sharedWords);
          const shorter = word.word.slice(0, -1);
          const typedOn = shorter !== '' && theirs.size === shared.length + 1 && theirs.has(shorter) && !distinct.includes(shorter);
          if (typedOn && holdsAsBefore(index, candidates, tiersOf(shorter), word)) return same(candidates);
          if ((typedOn || theirs.size === shared.length) && startsAWordInEvery(index, candidates, word)) return same(candidates);
        }
        const found = findIn(index, candidates, toCheck, shared);
        // Every candidate kept at the tier it had (most keys that fail the check above): its ranking holds too.
        if (candidates && sameFound(found, candidates)) return same(candidates);
        return { matches: found.matches, tiers: found.tiers, ranked: undefined };
      },
      REMEMBERED_QUERIES,
    );
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
      if (entry.ranked?.preference !== preference) entry.ranked = { preference, order: rank(index.size, entry, preference) };
      // A new view of the same rows: each search is a new list of items to the popup (its selection starts again at the first row).
      return entry.ranked.order.subarray(0);
    },
  };
}
