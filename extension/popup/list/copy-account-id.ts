/** Copying an account ID (Ctrl/Cmd+C on a row, the account header's ⧉, the panel's button), said on the status line. */
import type { ShowStatus } from './status-line.tsx';

export function copyAccountId(accountId: string, show: ShowStatus): void {
  void navigator.clipboard.writeText(accountId).then(
    () => show({ tone: 'info', text: `Copied account ID ${accountId}.` }),
    () => show({ tone: 'error', text: 'Could not copy to the clipboard.' }),
  );
}
