/**
 * The web page's own client: what the extension's background does for the popup, done in the page. The
 * popup's requests (extension/messages.ts) are answered by the background's own message handler and
 * session keeper, over the API client at the page's origin, with the session and the list in this tab's
 * sessionStorage; consoles open by navigation; single sign-on is a full-page redirect. The popup's
 * components reach all of it through the Host (extension/popup/host.ts).
 */
import { makeApiClient } from '../extension/background/api-client.ts';
import { ApiFailure } from '../extension/background/api-failure.ts';
import { makeEntitlementCache } from '../extension/background/entitlement-cache.ts';
import { makeMessageHandler } from '../extension/background/message-handler.ts';
import { makeSessionKeeper } from '../extension/background/session-keeper.ts';
import { makeSessionStore, type StoredSession } from '../extension/background/session-store.ts';
import { LIST_KEY, META_KEY } from '../extension/list-cache/cached-list.ts';
import type { BackgroundReply, Failure, PopupToBackground, PopupToBackgroundType } from '../extension/messages.ts';
import { cachedListOf } from '../extension/popup/cached-list-reader.ts';
import type { Host, SendRequest } from '../extension/popup/host.ts';
import type { AuthorizeCli } from './CliLogin.tsx';
import { consoleNavigation } from './console-navigation.ts';
import type { GetCredentials } from './CredentialsTools.tsx';
import { localPreferences } from './local-preferences.ts';
import { singleSignOn } from './single-sign-on.ts';
import { webStorageArea } from './web-storage-area.ts';

export interface PageClient {
  host: Host;
  /** POST /credentials for one pair (channel web), with this tab's session. */
  credentials: GetCredentials;
  /** POST /cli/authorize for the CLI's sign-in, with this tab's session (and its refresh token, so the CLI's session renews as this one does). */
  authorizeCli: AuthorizeCli;
  /**
   * On the hosted UI's way back: signs in with its code. Undefined on an ordinary load; else the route to
   * go back to, and the message to show when the sign-in failed.
   */
  completeSingleSignOn(): Promise<{ returnTo: string; failure?: string } | undefined>;
}

export function makePageClient(window: Window): PageClient {
  const { location, history } = window;
  const session = webStorageArea(window.sessionStorage);
  const api = makeApiClient({ baseUrl: location.origin, channel: 'web' });
  const store = makeSessionStore(session);
  const cache = makeEntitlementCache(session);
  const keeper = makeSessionKeeper({ api, store, cache });
  const sso = singleSignOn({ area: session, location, replaceAddress: (url) => history.replaceState(null, '', url) });
  const handle = makeMessageHandler({
    api,
    session: store,
    cache,
    keeper,
    openConsole: consoleNavigation({
      assign: (url) => location.assign(url),
      open: (url, target, features) => void window.open(url, target, features),
    }),
  });

  /** Single sign-on leaves the page: the reply never comes unless the hosted UI cannot be asked for. */
  async function startSingleSignOn(): Promise<Failure> {
    try {
      const { cognito } = await api.getAuthConfig();
      if (!cognito) return { ok: false, kind: 'bad-request', message: 'This Switchyard offers no single sign-on.' };
      await sso.start(cognito);
      return await new Promise<never>(() => undefined);
    } catch (error) {
      if (error instanceof ApiFailure) return error.toFailure();
      throw error;
    }
  }

  /** A call with this tab's session; what goes wrong is the popup's kind of Failure, its message safe to show. */
  async function guarded<T>(call: (token: string, session: StoredSession) => Promise<T>): Promise<{ ok: true; answer: T } | Failure> {
    try {
      return { ok: true, answer: await keeper.withToken(call) };
    } catch (error) {
      if (error instanceof ApiFailure) return error.toFailure();
      throw error;
    }
  }

  const send: SendRequest = async <T extends PopupToBackgroundType>(message: Extract<PopupToBackground, { type: T }>) => {
    // The handler answers each type with that type's reply (messages.ts BackgroundReplies).
    const reply = message.type === 'session/sign-in-cognito' ? await startSingleSignOn() : await handle(message);
    return reply as BackgroundReply<T>;
  };

  return {
    host: {
      send,
      readList: async () => cachedListOf(await session.get([LIST_KEY, META_KEY])),
      preferences: localPreferences(webStorageArea(window.localStorage)),
      showsBackend: false,
    },
    async credentials(request) {
      const reply = await guarded((token) => api.credentials(token, request));
      return reply.ok ? { ok: true, credentials: reply.answer } : reply;
    },
    async authorizeCli({ redirectUri, codeChallenge }) {
      const reply = await guarded((token, current) =>
        api.authorizeCli(token, {
          redirectUri,
          codeChallenge,
          codeChallengeMethod: 'S256',
          ...(current.refreshToken ? { refreshToken: current.refreshToken } : {}),
        }),
      );
      return reply.ok ? { ok: true, code: reply.answer.code } : reply;
    },
    async completeSingleSignOn() {
      const back = await sso.finish();
      if (!back) return undefined;
      if ('failure' in back) return { returnTo: back.returnTo, failure: back.failure.message };
      try {
        await keeper.begin(await api.createCognitoSession(back.grant));
        return { returnTo: back.returnTo };
      } catch (error) {
        if (error instanceof ApiFailure) return { returnTo: back.returnTo, failure: error.message };
        throw error;
      }
    },
  };
}
