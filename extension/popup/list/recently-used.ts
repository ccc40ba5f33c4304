/**
 * Recently used: the last rows opened, under "Recently used" after the favourites. Kept where the
 * host keeps preferences (the extension: storage.local, this machine's); they change the order on the
 * next open, never under the cursor.
 */
import { useMemo } from 'preact/hooks';
import { rowKey } from '../../list-cache/compact-list.ts';
import type { CompactList } from '../../list-cache/compact-list.ts';
import { saveRecents } from '../host.ts';
import { rowsOfKeys } from '../list-items.ts';
import { withRecent } from '../preferences.ts';

/**
 * The recently used rows (the most recent first, as they were when the popup opened), and how to
 * record a row as opened for the next time the popup opens.
 */
export function useRecentlyUsed(list: CompactList, saved: string[]): [rows: number[], record: (row: number) => void] {
  const rows = useMemo(() => rowsOfKeys(list, saved), [list, saved]);
  return [rows, (row) => void saveRecents(withRecent(saved, rowKey(list, row)))];
}
