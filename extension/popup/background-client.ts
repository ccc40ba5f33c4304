/** The popup's side of the messaging: typed requests to the background. */
import browser from 'webextension-polyfill';
import type { BackgroundReply, PopupToBackground, PopupToBackgroundType } from '../messages.ts';

type MessageOf<T extends PopupToBackgroundType> = Extract<PopupToBackground, { type: T }>;

export async function sendToBackground<T extends PopupToBackgroundType>(message: MessageOf<T>): Promise<BackgroundReply<T>> {
  try {
    const reply = (await browser.runtime.sendMessage(message)) as BackgroundReply<T> | undefined;
    if (reply && typeof reply === 'object' && 'ok' in reply) return reply;
  } catch {
    // Fall through: the background did not answer (being restarted, or crashed).
  }
  return { ok: false, kind: 'server', message: 'The Switchyard background did not answer. Please reopen the popup.' };
}
