/** What the status line says once a console opened: where, and in which container. */
import type { ConsoleOpened } from '../../messages.ts';
import type { OpenedIn } from '../../open-disposition.ts';

const WHERE: Record<OpenedIn, string> = {
  'new-tab': 'in a new tab',
  'background-tab': 'in a background tab',
  'new-window': 'in a new window',
  'reused-tab': 'in this console tab',
  'session-tab': 'in its console tab',
  'this-tab': 'in this tab',
};

export function openedText(label: string, reply: ConsoleOpened): string {
  const container = reply.container ? ` (container “${reply.container}”)` : '';
  if (reply.opened === 'session-tab') return `Switched to ${label}: its console is already open${container}.`;
  return `Opened ${label} ${WHERE[reply.opened]}${reply.existingSession ? ' of its open console session' : ''}${container}.`;
}
