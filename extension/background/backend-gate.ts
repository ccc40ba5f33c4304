/**
 * Answers the popup's first question (`session/get`) with `not-configured` while no backend URL is set, so
 * the popup can say at once that the extension needs setting up, instead of showing a sign-in form that
 * cannot work. Every other message goes to the handler (whose backend calls fail the same way).
 */
import type { Failure } from '../messages.ts';
import type { SettingsSource } from '../settings/settings.ts';
import { notConfigured } from './settings-api-client.ts';

export function requireBackendOnOpen<R>(handle: (raw: unknown) => Promise<R>, settings: SettingsSource): (raw: unknown) => Promise<R | Failure> {
  return async (raw) => {
    if (isSessionGet(raw) && !(await settings.current()).values.apiUrl) return notConfigured().toFailure();
    return handle(raw);
  };
}

function isSessionGet(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'session/get';
}
