/**
 * Opening a row's console: the background asks the backend for the sign-in URL and opens it where
 * the disposition says. The status line says what is happening and where it opened; one console
 * opens at a time.
 */
import { useState } from 'preact/hooks';
import { accountId, accountName, permissionSetName, regions } from '../../list-cache/compact-list.ts';
import type { CompactList } from '../../list-cache/compact-list.ts';
import type { ConsoleOpened } from '../../messages.ts';
import type { Disposition, OpenedIn } from '../../open-disposition.ts';
import { sendToBackground } from '../background-client.ts';
import { regionNamedBy } from '../destination-region.ts';
import type { OpenChoice } from '../OpenPanel.tsx';
import type { ShowStatus } from './status-line.tsx';

const WHERE: Record<OpenedIn, string> = {
  'new-tab': 'in a new tab',
  'background-tab': 'in a background tab',
  'new-window': 'in a new window',
  'reused-tab': 'in this console tab',
  'session-tab': 'in its console tab',
};

export interface OpenConsoleOptions {
  list: CompactList;
  /** The session has ended: nothing opens, the person is told to sign in again. */
  ended: boolean;
  show: ShowStatus;
  onOpened(row: number): void;
  /** The background says the person is signed out or the session expired. */
  onSessionEnded(notice?: string): void;
}

/** Resolves with the error shown, or undefined once the console opened (or while another is still opening). */
export type OpenRow = (row: number, disposition: Disposition, choice?: OpenChoice) => Promise<string | undefined>;

/** The row whose console is opening (if any), and how to open one. */
export function useOpenConsole({ list, ended, show, onOpened, onSessionEnded }: OpenConsoleOptions): [opening: number | undefined, open: OpenRow] {
  const [opening, setOpening] = useState<number>();

  async function open(row: number, disposition: Disposition, choice: OpenChoice = {}): Promise<string | undefined> {
    if (ended) {
      const text = 'Your session has ended. Sign in again to open consoles.';
      show({ tone: 'error', text });
      return text;
    }
    if (opening !== undefined) return undefined;
    const permissionSet = permissionSetName(list, row);
    const label = `${accountName(list, row)} as ${permissionSet}`;
    // A pasted console URL that names its region opens there; another region would contradict it.
    const region = regionNamedBy(choice.destination) ? undefined : (choice.region ?? regions(list, row)[0]);
    setOpening(row);
    show({ tone: 'info', text: `Opening ${label}…` });
    const reply = await sendToBackground({
      type: 'console/open',
      target: {
        accountId: accountId(list, row),
        permissionSet,
        ...(region ? { region } : {}),
        ...(choice.destination ? { destination: choice.destination } : {}),
      },
      disposition,
    });
    setOpening(undefined);
    if (reply.ok) {
      show({ tone: 'info', text: openedText(label, reply) });
      onOpened(row);
      return undefined;
    }
    if (reply.kind === 'signed-out' || reply.kind === 'expired') onSessionEnded(reply.message);
    const text = `Could not open ${label}. ${reply.message}`;
    show({ tone: 'error', text });
    return text;
  }

  return [opening, open];
}

function openedText(label: string, reply: ConsoleOpened): string {
  const container = reply.container ? ` (container “${reply.container}”)` : '';
  if (reply.opened === 'session-tab') return `Switched to ${label}: its console is already open${container}.`;
  return `Opened ${label} ${WHERE[reply.opened]}${reply.existingSession ? ' of its open console session' : ''}${container}.`;
}
