/**
 * Keyboard selection over the list's items, which mix rows and headers: only rows are selected.
 * ↑/↓ move one row and wrap around; Page Up/Down move a page and stop at the ends; Home/End go to
 * the first/last row. -1 = nothing selected (no rows).
 */
import { isRow } from './list-items.ts';

export type Move = { kind: 'step'; delta: 1 | -1 } | { kind: 'page'; delta: 1 | -1; rows: number } | { kind: 'first' } | { kind: 'last' };

function firstRowFrom(items: ArrayLike<number>, start: number, direction: 1 | -1): number {
  for (let at = start; at >= 0 && at < items.length; at += direction) if (isRow(items[at] as number)) return at;
  return -1;
}

export function firstRow(items: ArrayLike<number>): number {
  return firstRowFrom(items, 0, 1);
}

export function moveSelection(items: ArrayLike<number>, current: number, move: Move): number {
  const first = firstRow(items);
  if (first < 0) return -1;
  const last = firstRowFrom(items, items.length - 1, -1);
  const valid = current >= 0 && current < items.length && isRow(items[current] as number);
  switch (move.kind) {
    case 'first':
      return first;
    case 'last':
      return last;
    case 'step': {
      if (!valid) return move.delta === 1 ? first : last;
      const next = firstRowFrom(items, current + move.delta, move.delta);
      return next >= 0 ? next : move.delta === 1 ? first : last;
    }
    case 'page': {
      if (!valid) return move.delta === 1 ? first : last;
      let at = current;
      for (let moved = 0; moved < move.rows; moved++) {
        const next = firstRowFrom(items, at + move.delta, move.delta);
        if (next < 0) break;
        at = next;
      }
      return at;
    }
  }
}

/**
 * The selection once the whole list took the place of its head (popup-start.ts): the same items come
 * first, so it stays where it was; at the head's last row (End, or ↑ from the first row, pressed while the
 * head was drawn) it goes to the whole list's last row.
 */
export function selectionAfterHead(head: ArrayLike<number>, at: number, whole: ArrayLike<number>): number {
  if (at < 0 || at >= whole.length || !isRow(whole[at] as number)) return firstRow(whole);
  return at === moveSelection(head, at, { kind: 'last' }) ? moveSelection(whole, at, { kind: 'last' }) : at;
}
