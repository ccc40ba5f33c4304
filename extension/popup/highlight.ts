/** The words of a query: lower-cased, split on white space. */
export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/** The parts of a shown text that match a query (matchRanges with its words), as the rows are given it by the search. */
export type Match = (text: string) => [number, number][];

/** Which parts of a shown text match the words typed: sorted, merged [start, end) ranges. */
export function matchRanges(text: string, words: readonly string[]): [number, number][] {
  if (words.length === 0) return [];
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) ranges.push([at, at + word.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
