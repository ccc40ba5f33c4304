/** The popup's side of the messaging: typed requests to the background. */
import type { BackgroundReply, PopupToBackground, PopupToBackgroundType } from '../messages.ts';
import { ext } from './browser-api.ts';

type MessageOf<T extends PopupToBackgroundType> = Extract<PopupToBackground, { type: T }>;

export async function sendToBackground<T extends PopupToBackgroundType>(message: MessageOf<T>): Promise<BackgroundReply<T>> {
  try {
    const reply = (await ext.runtime.sendMessage(message)) as BackgroundReply<T> | undefined;
    if (reply && typeof reply === 'object' && 'ok' in reply) return reply;
  } catch {
    // Fall through: the background did not answer (being restarted, or crashed).
  }
  return { ok: false, kind: 'server', message: 'The Switchyard background did not answer. Please reopen the popup.' };
}
