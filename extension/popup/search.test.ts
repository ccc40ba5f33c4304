import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { compactList } from '../list-cache/compact-list-build.ts';
import { accountId, accountName, ouPath, permissionSetDescription, permissionSetName, regions, rowCount, tags } from '../list-cache/compact-list.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import { manyEntitlements } from '../../test/fixtures/many-entitlements.ts';
import { queryWords } from './highlight.ts';
import { buildSearchIndex, makeSearcher, warmUpSteps } from './search.ts';
import type { Preference } from './search.ts';

function entitlement(accountName: string, accountId: string, permissionSet: string, extra: Partial<Entitlement> = {}): Entitlement {
  return { accountName, accountId, permissionSet, regions: ['eu-west-1'], sessionDurationSeconds: 3600, ...extra };
}

// In display order, as the API sends it.
const entitlements = [
  entitlement('analytics-prod', '111111111111', 'ReadOnly', { tags: { team: 'data' }, ouPath: '/Root/Prod' }),
  entitlement('data-prod', '333333333333', 'ReadOnly', { regions: ['us-east-1'], ouPath: '/Root/Prod' }),
  entitlement('payments-dev', '222222222222', 'Developer', { description: 'Build and deploy' }),
  entitlement('payments-prod', '444444444444', 'AdministratorAccess', { tags: { alias: 'pay', 'switchyard:color': 'd13212' } }),
  entitlement('prod', '555555555555', 'ReadOnly'),
  entitlement('sandbox', '666666666666', 'Developer'),
];
const list = compactList(entitlements);
const index = buildSearchIndex(list);
const none: Preference = { favourites: new Set(), recent: new Map() };
const names = (rows: ArrayLike<number>) => Array.from(rows, (row) => `${entitlements[row]?.accountName}/${entitlements[row]?.permissionSet}`);

describe('search', () => {
  it('matches nothing for a blank query: the popup browses instead', () => {
    expect(makeSearcher(index).search('   ', none)).toHaveLength(0);
  });

  it('ranks exact, then prefix, then substring matches', () => {
    expect(names(makeSearcher(index).search('prod', none))).toEqual([
      'prod/ReadOnly', // the whole account name
      'analytics-prod/ReadOnly', // "prod" starts a word of the name (and the OU path)
      'data-prod/ReadOnly',
      'payments-prod/AdministratorAccess',
    ]);
    expect(names(makeSearcher(index).search('nalytics', none))).toEqual(['analytics-prod/ReadOnly']);
  });

  it('counts a word as starting a word only within one field, never across two', () => {
    // "prod-1" is in the tag value "zprod-1" only (not at a word's start there); "data-prod" then the ID
    // "111..." put "prod" and "1" at the starts of two words in a row, but in two fields.
    const straddling = compactList([
      entitlement('data-prod', '111111111111', 'ReadOnly', { tags: { note: 'zprod-1' } }),
      entitlement('web-prod-1', '222222222222', 'ReadOnly'),
    ]);
    expect(Array.from(makeSearcher(buildSearchIndex(straddling)).search('prod-1', none))).toEqual([1, 0]);
  });

  it('ranks favourites, then recently used, within the same kind of match', () => {
    const preference: Preference = {
      favourites: new Set([3]),
      recent: new Map([
        [2, 1],
        [1, 0],
      ]),
    };
    expect(names(makeSearcher(index).search('prod', preference))).toEqual([
      'prod/ReadOnly',
      'payments-prod/AdministratorAccess', // favourite
      'data-prod/ReadOnly', // used most recently
      'analytics-prod/ReadOnly',
    ]);
  });

  it('matches several words in any order, across fields: ID, permission set, tags, OU path, description, regions', () => {
    const searcher = makeSearcher(index);
    expect(names(searcher.search('readonly analytics', none))).toEqual(['analytics-prod/ReadOnly']);
    expect(names(searcher.search('2222', none))).toEqual(['payments-dev/Developer']);
    expect(names(searcher.search('team data', none))).toEqual(['analytics-prod/ReadOnly']);
    expect(names(searcher.search('pay', none))[0]).toBe('payments-dev/Developer');
    expect(names(searcher.search('/root/prod', none))).toEqual(['analytics-prod/ReadOnly', 'data-prod/ReadOnly']);
    expect(names(searcher.search('deploy', none))).toEqual(['payments-dev/Developer']);
    expect(names(searcher.search('us-east', none))).toEqual(['data-prod/ReadOnly']);
    expect(names(searcher.search('d13212', none))).toEqual([]); // the colour tag is styling, not searched
  });

  it('gives the same answer when typed letter by letter, and after backspacing', () => {
    const typed = makeSearcher(index);
    const fresh = (query: string) => Array.from(makeSearcher(index).search(query, none));
    for (const query of ['p', 'pa', 'pay', 'paym', 'pay', 'pa', 'pa d', 'pa de', 'pa dev', 'pa', '']) {
      expect(Array.from(typed.search(query, none))).toEqual(fresh(query));
    }
  });

  // Each answer is held to the rules written out (rankedByTheRules), whatever was typed before and whichever
  // preference ranks it: so the searcher's memory of earlier queries and rankings can change no answer.
  it('keeps exactly the rows with every word in one of their fields, ranked as the rules say, whatever is typed', () => {
    const alphabet = fc.constantFrom(...'adeiloprsyn- /0123'.split(''));
    const preferences: Preference[] = [
      none,
      {
        favourites: new Set([3, 1]),
        recent: new Map([
          [4, 0],
          [0, 1],
        ]),
      },
      {
        favourites: new Set(),
        recent: new Map([
          [0, 1],
          [2, 0],
        ]),
      },
    ];
    const query = fc.array(alphabet, { maxLength: 6 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(query, fc.integer({ min: 0, max: 2 })), { maxLength: 12 }), (steps) => {
        const searcher = makeSearcher(index);
        for (const [typed, which] of steps) expectTheRules(searcher, list, typed, preferences[which] as Preference);
      }),
    );
  });

  it('answers as the rules say when typed key by key over a large list, backspaces and all, whatever the favourites and recents', () => {
    const manyList = compactList(manyEntitlements(400));
    const manyIndex = buildSearchIndex(manyList);
    const preferences: Preference[] = [
      none,
      {
        favourites: new Set([7, 120, 399]),
        recent: new Map([
          [5, 1],
          [250, 0],
        ]),
      },
    ];
    const key = fc.oneof(fc.constantFrom(...'payments-prod dev 1 2 admin readonly data 10000000'.split('')), fc.constant('⌫'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 30 }), (keys) => {
        const searcher = makeSearcher(manyIndex);
        let query = '';
        for (const [pressed, which] of keys) {
          query = pressed === '⌫' ? query.slice(0, -1) : query + pressed;
          expectTheRules(searcher, manyList, query, preferences[which] as Preference);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives a new list of rows each time, even for a query it remembers', () => {
    const searcher = makeSearcher(index);
    const first = searcher.search('prod', none);
    const again = searcher.search('prod', none);
    expect(again).not.toBe(first);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('ranks no rows again when a key keeps every row at its tier, as typing on in a name mostly does', () => {
    const searcher = makeSearcher(index);
    const preference: Preference = { favourites: new Set([2]), recent: new Map([[1, 0]]) };
    const typed = ['pay', 'paym', 'payme'].map((query) => searcher.search(query, preference));
    expect(typed[0]!.length).toBeGreaterThan(1);
    expect(Array.from(typed[2]!)).toEqual(Array.from(typed[0]!));
    // The same ranking, shown anew: views of one array.
    expect(typed[1]!.buffer).toBe(typed[0]!.buffer);
    expect(typed[2]!.buffer).toBe(typed[0]!.buffer);
  });

  it('ranks again when a word typed on from an exact name is no longer exact, though it holds where the name did', () => {
    const exactThenPrefix = [
      entitlement('aa-abc', '777777777777', 'ReadOnly'),
      entitlement('ab', '888888888888', 'ReadOnly', { tags: { team: 'abc' } }),
    ];
    const searcher = makeSearcher(buildSearchIndex(compactList(exactThenPrefix)));
    const named = (rows: Int32Array) => Array.from(rows, (row) => exactThenPrefix[row]?.accountName);
    expect(named(searcher.search('ab', none))).toEqual(['ab', 'aa-abc']);
    expect(named(searcher.search('abc', none))).toEqual(['aa-abc', 'ab']);
  });

  it('ranks no rows again when a word added, or typed on, starts a word in every row', () => {
    const searcher = makeSearcher(index);
    const preference: Preference = { favourites: new Set([3]), recent: new Map() };
    const typed = ['payments', 'payments p', 'payments pa', 'payments pay'].map((query) => searcher.search(query, preference));
    expect(names(typed[0]!)).toEqual(['payments-prod/AdministratorAccess', 'payments-dev/Developer']);
    for (const later of typed.slice(1)) {
      expect(Array.from(later)).toEqual(Array.from(typed[0]!));
      expect(later.buffer).toBe(typed[0]!.buffer);
    }
  });

  it('ranks again when a word added starts a word of a row that ranked exact', () => {
    const searcher = makeSearcher(index);
    expect(names(searcher.search('prod', none))[0]).toBe('prod/ReadOnly');
    // "p" starts a word of every "prod" row; the exact row now ranks by its worse word, in the list's order.
    expect(names(searcher.search('prod p', none))).toEqual(names(makeSearcher(index).search('prod p', none)));
    expect(names(searcher.search('prod p', none))[0]).toBe('analytics-prod/ReadOnly');
  });

  it('ranks again when a word typed on becomes an exact name where the shorter one started a word', () => {
    const prefixThenExact = [entitlement('aa-ab', '777777777777', 'ReadOnly'), entitlement('ab', '888888888888', 'ReadOnly')];
    const searcher = makeSearcher(buildSearchIndex(compactList(prefixThenExact)));
    const named = (rows: Int32Array) => Array.from(rows, (row) => prefixThenExact[row]?.accountName);
    expect(named(searcher.search('a', none))).toEqual(['aa-ab', 'ab']);
    expect(named(searcher.search('ab', none))).toEqual(['ab', 'aa-ab']);
  });

  it('warms up in small steps that type from the list itself, and leave every answer as it was', () => {
    const warmed = buildSearchIndex(compactList(manyEntitlements(400)));
    const steps = warmUpSteps(warmed);
    expect(steps.length).toBeGreaterThan(4);
    const searcher = makeSearcher(warmed);
    const before = ['p', 'pay', 'payments-prod-7 admin'].map((query) => Array.from(searcher.search(query, none)));
    for (const step of steps) step();
    const after = ['p', 'pay', 'payments-prod-7 admin'].map((query) => Array.from(makeSearcher(warmed).search(query, none)));
    expect(after).toEqual(before);
    // A list with nothing in it, or one row, warms up too.
    for (const few of [[], [entitlement('x', '999999999999', 'ReadOnly')]])
      for (const step of warmUpSteps(buildSearchIndex(compactList(few)))) expect(step).not.toThrow();
  });

  it('marks what the query matches in a shown text, as matchRanges does with its words', () => {
    const match = makeSearcher(index).match('  PAY   prod ');
    expect(match('payments-prod')).toEqual([
      [0, 3],
      [9, 13],
    ]);
    expect(match('sandbox')).toEqual([]);
  });
});

function expectTheRules(searcher: ReturnType<typeof makeSearcher>, searched: CompactList, query: string, preference: Preference): void {
  expect(Array.from(searcher.search(query, preference))).toEqual(rankedByTheRules(searched, query, preference));
}

/** The search's rules, written out plainly per row and per field: what the searcher must answer. */
function rankedByTheRules(list: CompactList, query: string, preference: Preference): number[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const tierOf = (row: number) => {
    const names = [accountName(list, row), accountId(list, row), permissionSetName(list, row)].map((field) => field.toLowerCase());
    const more = [tags(list, row).join(' '), ouPath(list, row), permissionSetDescription(list, row), regions(list, row).join(' ')].map((field) =>
      field.toLowerCase(),
    );
    let worst = 0;
    for (const word of words) {
      const startsAWord = (field: string) => field.startsWith(word) || [...' -_/:.@='].some((boundary) => field.includes(boundary + word));
      const tier = names.includes(word)
        ? 0
        : [...names, ...more].some(startsAWord)
          ? 1
          : [...names, ...more].some((field) => field.includes(word))
            ? 2
            : 3;
      worst = Math.max(worst, tier);
    }
    return worst;
  };
  const kindOf = (row: number) => (preference.favourites.has(row) ? 0 : preference.recent.has(row) ? 1 : 2);
  const rows = Array.from({ length: rowCount(list) }, (_, row) => row).filter((row) => tierOf(row) < 3);
  return rows.sort(
    (a, b) =>
      tierOf(a) - tierOf(b) ||
      kindOf(a) - kindOf(b) ||
      (kindOf(a) === 1 ? (preference.recent.get(a) as number) - (preference.recent.get(b) as number) : 0) ||
      a - b,
  );
}
