import { describe, expect, it } from 'vitest';
import { matchRanges } from './highlight.ts';

describe('matchRanges', () => {
  it('finds every occurrence of every word, case-insensitively, merging overlaps', () => {
    expect(matchRanges('Payments-PROD', ['prod'])).toEqual([[9, 13]]);
    expect(matchRanges('payments-prod', ['pay', 'ments', 'prod'])).toEqual([
      [0, 8],
      [9, 13],
    ]);
    expect(matchRanges('aaaa', ['aa'])).toEqual([[0, 4]]);
    expect(matchRanges('sandbox', [])).toEqual([]);
    expect(matchRanges('sandbox', ['x', 'zzz'])).toEqual([[6, 7]]);
  });
});
