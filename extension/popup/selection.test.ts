import { describe, expect, it } from 'vitest';
import { ALL_HEADER, FAVOURITES_HEADER, accountHeader } from './list-items.ts';
import { firstRow, moveSelection, selectionAfterHead } from './selection.ts';

// header, row, header, row, row, header, row, row, row
const items = [FAVOURITES_HEADER, 5, ALL_HEADER, accountHeader(0), 0, 1, accountHeader(1), 2, 3, 4];

describe('moveSelection', () => {
  it('steps over headers and wraps at both ends', () => {
    expect(firstRow(items)).toBe(1);
    expect(moveSelection(items, 1, { kind: 'step', delta: 1 })).toBe(4);
    expect(moveSelection(items, 5, { kind: 'step', delta: 1 })).toBe(7);
    expect(moveSelection(items, 9, { kind: 'step', delta: 1 })).toBe(1);
    expect(moveSelection(items, 1, { kind: 'step', delta: -1 })).toBe(9);
  });

  it('pages by a number of rows and stops at the ends', () => {
    expect(moveSelection(items, 1, { kind: 'page', delta: 1, rows: 3 })).toBe(7);
    expect(moveSelection(items, 7, { kind: 'page', delta: 1, rows: 3 })).toBe(9);
    expect(moveSelection(items, 7, { kind: 'page', delta: -1, rows: 10 })).toBe(1);
  });

  it('goes to the first and last row', () => {
    expect(moveSelection(items, 5, { kind: 'first' })).toBe(1);
    expect(moveSelection(items, 5, { kind: 'last' })).toBe(9);
  });

  it('starts at an end when nothing is selected, and has no selection without rows', () => {
    expect(moveSelection(items, -1, { kind: 'step', delta: 1 })).toBe(1);
    expect(moveSelection(items, -1, { kind: 'step', delta: -1 })).toBe(9);
    expect(moveSelection([ALL_HEADER], 0, { kind: 'step', delta: 1 })).toBe(-1);
  });
});

describe('selectionAfterHead', () => {
  // A head: a header and three rows; the whole list: the same four items first, then more.
  const head = [-4, 0, 1, 2];
  const whole = [-4, 0, 1, 2, 3, -5, 4, 5];
  it('keeps the selection where the keys put it on the head', () => {
    expect(selectionAfterHead(head, 2, whole)).toBe(2);
    expect(selectionAfterHead(head, 1, whole)).toBe(1);
  });
  it("moves the head's last row (End) to the whole list's last row", () => {
    expect(selectionAfterHead(head, 3, whole)).toBe(7);
  });
  it('starts at the first row when nothing was selected or the place is no row', () => {
    expect(selectionAfterHead(head, -1, whole)).toBe(1);
    expect(selectionAfterHead([-4, 0, 1, 2, 3, 9], 5, [-4, 0, 1, 2, 3, -5, 4])).toBe(1);
  });
});
