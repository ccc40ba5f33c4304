/**
 * Where a console opens. The popup picks a disposition from the click or key (plain, Ctrl/Cmd, Shift);
 * "default" leaves it to the person's setting (settings.openMode). No zod here: the popup imports it.
 */
export const DISPOSITIONS = ['default', 'new-tab', 'background-tab', 'new-window'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * Where a console did open: a new tab, a background tab, a new window, the console tab that was active,
 * or the tab of its console session, already open, brought to the front.
 */
export type OpenedIn = 'new-tab' | 'background-tab' | 'new-window' | 'reused-tab' | 'session-tab';

/** Ctrl (Cmd on macOS) = background tab, Shift = new window, as for links in the browser. */
export function dispositionFor(modifiers: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): Disposition {
  if (modifiers.shiftKey) return 'new-window';
  if (modifiers.ctrlKey || modifiers.metaKey) return 'background-tab';
  return 'default';
}
