/** The header's quiet indicator of the background refresh: "Refreshing…", "Offline · list from 14:05", or nothing. */
import { clockTime } from '../session-time.ts';

/** Where the background refresh of the list stands (a failure shows on the status line instead). */
export type SyncStatus = { kind: 'idle' } | { kind: 'refreshing' } | { kind: 'offline'; message: string } | { kind: 'failed'; message: string };

export function RefreshIndicator({ sync, fetchedAt }: { sync: SyncStatus; fetchedAt: string }) {
  if (sync.kind === 'refreshing')
    return (
      <span class="sync refreshing" role="status" title="Refreshing the list">
        Refreshing…
      </span>
    );
  if (sync.kind === 'offline')
    return (
      <span class="sync offline" role="status" title={sync.message}>
        Offline · list from {clockTime(fetchedAt)}
      </span>
    );
  return null;
}
