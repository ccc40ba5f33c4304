/**
 * The line at the foot of the list: what the last action did ("Opened …", "Copied …") or why it
 * failed; with nothing to say, why the list could not be refreshed.
 */
import type { SyncStatus } from './refresh-indicator.tsx';

export type Status = { tone: 'info' | 'error'; text: string } | undefined;

/** How a behaviour puts its outcome on the status line. */
export type ShowStatus = (status: Status) => void;

export function StatusLine({ status, sync }: { status: Status; sync: SyncStatus }) {
  return (
    <footer class={`status ${status?.tone ?? ''}`} role={status?.tone === 'error' ? 'alert' : 'status'}>
      {status?.text ?? (sync.kind === 'failed' ? `Could not refresh the list. ${sync.message}` : '')}
    </footer>
  );
}
