/**
 * Opening a row's console: the background asks the backend for the sign-in URL and opens it where
 * the disposition says. The status line says what is happening and where it opened; one console
 * opens at a time.
 */
import { useState } from 'preact/hooks';
import { accountId, accountName, permissionSetName, regions } from '../../list-cache/compact-list.ts';
import type { CompactList } from '../../list-cache/compact-list.ts';
import type { Disposition } from '../../open-disposition.ts';
import { regionNamedBy } from '../destination-region.ts';
import { send } from '../host.ts';
import type { OpenChoice } from '../OpenPanel.tsx';
import type { ShowStatus } from './status-line.tsx';

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
    const reply = await send({
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
      onOpened(row);
      // Where it opened is said in words loaded only now: they are not part of the popup's first bundle.
      void import('./opened-text.ts').then(({ openedText }) => show({ tone: 'info', text: openedText(label, reply) }));
      return undefined;
    }
    if (reply.kind === 'signed-out' || reply.kind === 'expired') onSessionEnded(reply.message);
    const text = `Could not open ${label}. ${reply.message}`;
    show({ tone: 'error', text });
    return text;
  }

  return [opening, open];
}
