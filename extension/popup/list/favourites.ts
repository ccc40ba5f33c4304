/**
 * Favourites: the star on a row, or Alt+F, marks a row; favourites are pinned on top of the list
 * and first among equal search matches. Kept by row key where the host keeps preferences (the
 * extension: storage.sync, so they follow the person).
 */
import { useMemo, useState } from 'preact/hooks';
import { rowKey } from '../../list-cache/compact-list.ts';
import type { CompactList } from '../../list-cache/compact-list.ts';
import { saveFavourites } from '../host.ts';
import { rowsOfKeys } from '../list-items.ts';
import { toggled } from '../preferences.ts';

/** The favourite rows (in the order they were marked), and how to mark or unmark one. */
export function useFavourites(list: CompactList, saved: string[]): [rows: number[], toggle: (row: number) => void] {
  const [keys, setKeys] = useState(saved);
  const rows = useMemo(() => rowsOfKeys(list, keys), [list, keys]);
  function toggle(row: number) {
    const next = toggled(keys, rowKey(list, row));
    setKeys(next);
    void saveFavourites(next);
  }
  return [rows, toggle];
}
