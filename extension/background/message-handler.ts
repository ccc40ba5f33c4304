/**
 * Answers the popup's messages: validates each one, then signs in (password or single sign-on), lists,
 * refreshes or opens a console. Sessions are kept alive by session-keeper.ts; one that runs out
 * answers `expired` (the cached list kept), a missing one `signed-out`.
 */
import type { AuthConfigResponse } from '../../shared/api/auth-config.ts';
import { parsePopupToBackground } from '../messages.ts';
import type {
  BackendInUse,
  BackgroundReply,
  ConsoleSessionsState,
  Failure,
  ListRefreshed,
  PopupToBackground,
  PopupToBackgroundType,
  SignedInState,
} from '../messages.ts';
import type { Settings } from '../settings/settings.ts';
import type { ApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';
import { runCognitoFlow, type WebAuthFlow } from './cognito-flow.ts';
import type { ConsoleOpener } from './console-opener.ts';
import type { ElevationWatch } from './elevation-watch.ts';
import type { EntitlementCache } from './entitlement-cache.ts';
import { makeListRefresh } from './list-refresh.ts';
import { EXPIRED_MESSAGE, makeSessionKeeper, type SessionKeeper } from './session-keeper.ts';
import type { SessionStore } from './session-store.ts';

export interface MessageHandlerDeps {
  api: ApiClient;
  session: SessionStore;
  cache: EntitlementCache;
  /** Opens a console where the person asked, signing in with a URL it asks for only when needed. The URL is a secret: the opener must not keep or log it. */
  openConsole: ConsoleOpener;
  /** The console sessions known to be open (after a look at the tab the person is looking at), and forgetting them at sign-out. */
  consoleSessions?: { state(): Promise<ConsoleSessionsState>; forget(): Promise<void> };
  /** The sign-in settings in force (default: ask the backend). */
  settings?: () => Promise<Pick<Settings, 'signInMethod' | 'cognito'>>;
  /** The backend URL in force, for the popup's footer (the popup itself loads no settings code). */
  backend?: () => Promise<BackendInUse>;
  /** The browser's identity API, for single sign-on. */
  webAuth?: WebAuthFlow;
  now?: () => Date;
  /** The session keeper over `session` and `cache`, when its owner also uses it (the web page); else one is made here. */
  keeper?: SessionKeeper;
  /** The extension's watch over the person's requests while the popup is closed (the web page has none). */
  watch?: ElevationWatch;
}

type AnyReply = BackgroundReply<PopupToBackgroundType>;

const INTERNAL: Failure = { ok: false, kind: 'server', message: 'Switchyard hit an internal error. Please try again.' };
/** OAuth scopes asked of a user pool set in the extension's settings without any. */
const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
/** A console session's length when the cached list does not say (the federation endpoint's default for role credentials). */
const DEFAULT_CONSOLE_SESSION_SECONDS = 3600;
/** How long the backend's sign-in methods are trusted before asking again. */
const AUTH_CONFIG_MAX_AGE_MS = 5 * 60_000;

export function makeMessageHandler(deps: MessageHandlerDeps): (raw: unknown) => Promise<AnyReply> {
  const now = deps.now ?? (() => new Date());
  const keeper = deps.keeper ?? makeSessionKeeper({ api: deps.api, store: deps.session, cache: deps.cache, now: () => now().getTime() });
  const settings: () => Promise<Pick<Settings, 'signInMethod' | 'cognito'>> = deps.settings ?? (async () => ({ signInMethod: 'auto' }));
  let authConfig: { value: AuthConfigResponse; at: number } | undefined;

  async function backendAuthConfig(): Promise<AuthConfigResponse> {
    if (authConfig && now().getTime() - authConfig.at < AUTH_CONFIG_MAX_AGE_MS) return authConfig.value;
    const value = await deps.api.getAuthConfig();
    authConfig = { value, at: now().getTime() };
    return value;
  }

  /** Runs work that may fail with an ApiFailure; that failure becomes the reply (as `failureOf` words it). */
  async function guarded<T extends AnyReply>(work: () => Promise<T>, failureOf = (error: ApiFailure) => error.toFailure()): Promise<T | Failure> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      return failureOf(error);
    }
  }

  const fetchList = makeListRefresh({ api: deps.api, cache: deps.cache, keeper, now });

  async function refreshList(): Promise<SignedInState & ListRefreshed> {
    const refreshed = await fetchList();
    await deps.watch?.listFetched(refreshed.user.id, refreshed.entitlements);
    return refreshed;
  }

  /**
   * A change to a request (elevation): the backend's refusal (not pending, no extensions left, no reason
   * given) is shown in its own sentence, without the HTTP status around it.
   */
  const requestChange = <T extends AnyReply>(work: () => Promise<T>) =>
    guarded(work, (error) => (error.serverMessage ? { ...error.toFailure(), message: sentence(error.serverMessage) } : error.toFailure()));

  async function handle(message: PopupToBackground): Promise<AnyReply> {
    switch (message.type) {
      case 'session/get': {
        const record = await keeper.record();
        if (record.kind === 'none') return { ok: true, signedIn: false };
        if (record.kind === 'expired') {
          const kept = (await deps.cache.load(record.user.id)) ?? { entitlements: [], fetchedAt: '' };
          return { ok: true, signedIn: false, expired: true, user: record.user, ...kept };
        }
        const cached = await deps.cache.load(record.session.user.id);
        if (cached) return { ok: true, signedIn: true, user: record.session.user, ...cached };
        return guarded(async () => {
          const { user, entitlements, fetchedAt } = await refreshList();
          return { ok: true, signedIn: true, user, entitlements, fetchedAt };
        });
      }
      case 'session/sign-in':
        return guarded(async () => ({ ok: true, ...(await keeper.begin(await deps.api.createSession(message.credentials))) }));
      case 'session/sign-in-cognito':
        return guarded(async () => {
          const configured = (await settings()).cognito;
          const cognito = configured ? { scopes: DEFAULT_SCOPES, ...configured } : (await backendAuthConfig()).cognito;
          if (!cognito) throw new ApiFailure('bad-request', 'This Switchyard offers no single sign-on.');
          if (!deps.webAuth) throw new ApiFailure('server', 'This browser cannot run single sign-on.');
          const grant = await runCognitoFlow(cognito, deps.webAuth);
          return { ok: true, ...(await keeper.begin(await deps.api.createCognitoSession(grant))) };
        });
      case 'session/sign-out':
        await Promise.all([keeper.end(), deps.consoleSessions?.forget(), deps.watch?.stop()]);
        return { ok: true };
      case 'auth/methods':
        return guarded(async () => {
          const { signInMethod } = await settings();
          if (signInMethod !== 'auto') return { ok: true, methods: [signInMethod] };
          const { methods } = await backendAuthConfig();
          if (methods.length === 0) throw new ApiFailure('server', 'The Switchyard backend offers no way to sign in.');
          return { ok: true, methods };
        });
      case 'settings/backend':
        return { ok: true, ...(deps.backend ? await deps.backend() : { lockedByPolicy: false }) };
      case 'entitlements/refresh':
        return guarded(async () => {
          const { version, changed, fetchedAt } = await refreshList();
          return { ok: true, version, changed, fetchedAt };
        });
      case 'list/keep-head':
        return { ok: true, kept: await keeper.keepListHead(message.version, message.rows, message.keys) };
      case 'console/open':
        return guarded(async () => {
          const { target } = message;
          // Even a console already open is shown only to a person signed in.
          const record = await keeper.record();
          if (record.kind === 'none') throw new ApiFailure('signed-out', 'Please sign in.');
          if (record.kind === 'expired') throw new ApiFailure('expired', EXPIRED_MESSAGE);
          const listed = (await deps.cache.load(record.session.user.id))?.entitlements;
          const pair = listed?.find((entry) => entry.accountId === target.accountId && entry.permissionSet === target.permissionSet);
          const account = listed?.find((entry) => entry.accountId === target.accountId);
          const opened = await deps.openConsole({
            async signInUrl() {
              const { url } = await keeper.withToken((token) => deps.api.federate(token, target));
              if (!isWebUrl(url)) throw new ApiFailure('server', 'The backend sent a console link that is not a web address.');
              return url;
            },
            disposition: message.disposition ?? 'default',
            account: { id: target.accountId, name: account?.accountName ?? target.accountId, color: account?.color },
            permissionSet: target.permissionSet,
            sessionSeconds: pair?.sessionDurationSeconds ?? DEFAULT_CONSOLE_SESSION_SECONDS,
            listed: pair !== undefined,
            ...(target.destination ? { destination: target.destination } : {}),
            ...(target.region ? { region: target.region } : {}),
          });
          return { ok: true, ...opened };
        });
      case 'request/create':
        return requestChange(async () => ({ ok: true, request: await keeper.withToken((token) => deps.api.createRequest(token, message.request)) }));
      case 'requests/open':
        return guarded(async () => {
          const { requests } = await keeper.withToken((token) => deps.api.myRequests(token));
          const open = requests.filter((request) => request.state === 'pending' || request.state === 'active');
          return { ok: true, open: open.map((request) => `${request.id}:${request.state}`) };
        });
      case 'approvals/list':
        return guarded(async () => {
          const { requests } = await keeper.withToken(async (token, session) => {
            const answer = await deps.api.requestsToApprove(token);
            await deps.watch?.toApproveListed(session.user.id, answer.requests.length);
            return answer;
          });
          return { ok: true, requests };
        });
      case 'approvals/count':
        return guarded(async () => {
          if (deps.watch) return { ok: true, count: await deps.watch.toApproveCount() };
          return { ok: true, count: (await keeper.withToken((token) => deps.api.requestsToApprove(token))).requests.length };
        });
      case 'request/decide':
        return requestChange(async () => {
          const { id, reason } = message;
          const request = await keeper.withToken((token) =>
            message.decision === 'approve' ? deps.api.approveRequest(token, id, reason) : deps.api.denyRequest(token, id, reason ?? ''),
          );
          return { ok: true, request };
        });
      case 'request/cancel':
        return requestChange(async () => ({
          ok: true,
          request: await keeper.withToken((token) => deps.api.cancelRequest(token, message.id, message.reason)),
        }));
      case 'grant/revoke':
        return requestChange(async () => ({
          ok: true,
          request: await keeper.withToken((token) => deps.api.revokeGrant(token, message.id, message.reason)),
        }));
      case 'grant/extend':
        return requestChange(async () => {
          const { id, durationSeconds, justification } = message;
          const extension = { ...(durationSeconds ? { durationSeconds } : {}), ...(justification ? { justification } : {}) };
          return { ok: true, request: await keeper.withToken((token) => deps.api.extendGrant(token, id, extension)) };
        });
      case 'console/sessions':
        return { ok: true, ...(deps.consoleSessions ? await deps.consoleSessions.state() : { mode: 'single-session', open: [], full: false }) };
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

/** "request x is ended; only …" -> "Request x is ended; only …." */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
