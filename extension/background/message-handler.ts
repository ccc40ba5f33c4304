/**
 * Answers the popup's messages: validates each one, then signs in, lists, refreshes or opens a console.
 * A 401 from the backend ends the session (token and cache removed) and answers `signed-out`.
 */
import type { SessionResponse } from '../../shared/api/contract.ts';
import { parsePopupToBackground } from '../messages.ts';
import type { BackgroundReply, Failure, ListRefreshed, PopupToBackground, PopupToBackgroundType, SignedInState } from '../messages.ts';
import type { ApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';
import type { ConsoleOpener } from './console-opener.ts';
import type { EntitlementCache } from './entitlement-cache.ts';
import type { SessionStore, StoredSession } from './session-store.ts';

export interface MessageHandlerDeps {
  api: ApiClient;
  session: SessionStore;
  cache: EntitlementCache;
  /** Opens a console sign-in URL where the person asked. The URL is a secret: the opener must not keep or log it. */
  openConsole: ConsoleOpener;
  now?: () => Date;
}

type AnyReply = BackgroundReply<PopupToBackgroundType>;

const SIGNED_OUT: Failure = { ok: false, kind: 'signed-out', message: 'Please sign in.' };
const INTERNAL: Failure = { ok: false, kind: 'server', message: 'Switchyard hit an internal error. Please try again.' };

export function makeMessageHandler(deps: MessageHandlerDeps): (raw: unknown) => Promise<AnyReply> {
  const now = deps.now ?? (() => new Date());

  async function endSession(): Promise<void> {
    await Promise.all([deps.session.clear(), deps.cache.clear()]);
  }

  /** Runs a backend call; a 401 ends the session, any ApiFailure becomes a Failure reply. */
  async function guarded<T extends AnyReply>(work: () => Promise<T>): Promise<T | Failure> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      if (error.kind === 'signed-out') await endSession();
      return error.toFailure();
    }
  }

  async function rememberSignIn(response: SessionResponse): Promise<SignedInState> {
    const fetchedAt = now().toISOString();
    await deps.session.save({ token: response.token, expiresAt: response.expiresAt, user: response.user });
    await deps.cache.save(
      response.user.id,
      { entitlements: response.entitlements, fetchedAt },
      { displayName: response.user.displayName, expiresAt: response.expiresAt },
    );
    return { user: response.user, entitlements: response.entitlements, fetchedAt };
  }

  async function refresh(session: StoredSession): Promise<SignedInState & ListRefreshed> {
    const answer = await deps.api.getEntitlements(session.token);
    const fetchedAt = now().toISOString();
    const saved = await deps.cache.save(
      session.user.id,
      { entitlements: answer.entitlements, fetchedAt },
      { displayName: answer.user.displayName, expiresAt: session.expiresAt },
    );
    return { user: answer.user, entitlements: answer.entitlements, fetchedAt, ...saved };
  }

  async function handle(message: PopupToBackground): Promise<AnyReply> {
    switch (message.type) {
      case 'session/get': {
        const session = await deps.session.load();
        if (!session) return { ok: true, signedIn: false };
        const cached = await deps.cache.load(session.user.id);
        if (cached) return { ok: true, signedIn: true, user: session.user, ...cached };
        return guarded(async () => {
          const { user, entitlements, fetchedAt } = await refresh(session);
          return { ok: true, signedIn: true, user, entitlements, fetchedAt };
        });
      }
      case 'session/sign-in':
        await endSession();
        return guarded(async () => ({ ok: true, ...(await rememberSignIn(await deps.api.createSession(message.credentials))) }));
      case 'session/sign-out':
        await endSession();
        return { ok: true };
      case 'entitlements/refresh': {
        const session = await deps.session.load();
        if (!session) return SIGNED_OUT;
        return guarded(async () => {
          const { version, changed, fetchedAt } = await refresh(session);
          return { ok: true, version, changed, fetchedAt };
        });
      }
      case 'console/open': {
        const session = await deps.session.load();
        if (!session) return SIGNED_OUT;
        return guarded(async () => {
          const { url } = await deps.api.federate(session.token, message.target);
          if (!isWebUrl(url)) throw new ApiFailure('server', 'The backend sent a console link that is not a web address.');
          const listed = (await deps.cache.load(session.user.id))?.entitlements.find((entry) => entry.accountId === message.target.accountId);
          const account = { id: message.target.accountId, name: listed?.accountName ?? message.target.accountId, color: listed?.color };
          return { ok: true, ...(await deps.openConsole({ loginUrl: url, disposition: message.disposition ?? 'default', account })) };
        });
      }
    }
  }

  return async (raw) => {
    const parsed = parsePopupToBackground(raw);
    if (!parsed.ok) return { ok: false, kind: 'bad-request', message: parsed.error };
    try {
      return await handle(parsed.message);
    } catch (error) {
      // Only the error's class: a message from a browser API could quote a console URL.
      console.error(`Switchyard background: ${parsed.message.type} failed with ${errorName(error)}`);
      return INTERNAL;
    }
  };
}

function isWebUrl(candidate: string): boolean {
  try {
    const { protocol } = new URL(candidate);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
