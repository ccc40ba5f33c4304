/**
 * The popup: the signed-in person's list (drawn from the cache at once, then refreshed in the
 * background), or the sign-in form. The host (host.ts: the background, or the web page's client) does all the
 * talking to the backend.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { SignedInState } from '../messages.ts';
import type { CachedList } from './cached-list-reader.ts';
import { EntitlementList } from './EntitlementList.tsx';
import { readList, send } from './host.ts';
import type { SyncStatus } from './list/refresh-indicator.tsx';
import type { Preferences } from './preferences.ts';
import { hasEnded } from './session-time.ts';

type View = { kind: 'loading' } | { kind: 'sign-in'; notice?: string } | { kind: 'list'; cached: CachedList } | { kind: 'error'; message: string };

interface SignInFormProps {
  notice?: string;
  onSignedIn(state: SignedInState): void;
}

const LIST_LOST: View = { kind: 'error', message: 'Switchyard could not keep your list. Please reopen the popup.' };

/** The sign-in form is loaded only when it is needed: a signed-in popup never downloads or parses it. */
let SignInForm: ComponentType<SignInFormProps> | undefined;

function useSignInForm(needed: boolean): boolean {
  const [loaded, setLoaded] = useState(!!SignInForm);
  useEffect(() => {
    if (needed && !loaded)
      void import('./SignInForm.tsx').then((module) => {
        SignInForm = module.SignInForm;
        setLoaded(true);
      });
  }, [needed, loaded]);
  return loaded;
}

interface AppProps {
  initial: CachedList | undefined;
  preferences: Preferences;
  /**
   * When `initial` is a list's head: reads the whole list, which replaces it (unless a refresh brought another).
   * Called after the first frame: parsing a list of 100,000 rows takes longer than drawing the head.
   */
  rest?: (() => Promise<CachedList | undefined>) | undefined;
}

export function App({ initial, preferences, rest }: AppProps) {
  const [view, setView] = useState<View>(initial ? { kind: 'list', cached: initial } : { kind: 'loading' });
  const [sync, setSync] = useState<SyncStatus>({ kind: 'idle' });
  const signInFormLoaded = useSignInForm(view.kind === 'sign-in');

  const sessionEnded = useCallback((notice?: string) => {
    setSync({ kind: 'idle' });
    setView({ kind: 'sign-in', notice });
  }, []);

  const showCache = useCallback(async (): Promise<CachedList | undefined> => {
    const cached = await readList().catch(() => undefined);
    if (cached) setView({ kind: 'list', cached });
    return cached;
  }, []);

  const refresh = useCallback(
    async (version: string | undefined) => {
      setSync({ kind: 'refreshing' });
      const reply = await send({ type: 'entitlements/refresh' });
      if (reply.ok) {
        // An unchanged list is left alone: nothing is read, nothing re-rendered but the status.
        if (reply.version !== version) await showCache();
        setSync({ kind: 'idle' });
      } else if (reply.kind === 'expired') {
        setSync({ kind: 'idle' });
        setView((current) => (current.kind === 'list' ? { ...current, cached: { ...current.cached, ended: true } } : current));
      } else if (reply.kind === 'signed-out') {
        sessionEnded(reply.message);
      } else if (reply.kind === 'unreachable') {
        setSync({ kind: 'offline', message: reply.message });
      } else {
        setSync({ kind: 'failed', message: reply.message });
      }
    },
    [sessionEnded, showCache],
  );

  useEffect(() => {
    void rest?.().then((whole) => {
      if (!whole) return void showCache();
      setView((current) => (current.kind === 'list' && current.cached.rows !== undefined ? { kind: 'list', cached: whole } : current));
    });
    void (async () => {
      if (initial) {
        if (!hasEnded(initial.meta.expiresAt, Date.now())) await refresh(initial.meta.version);
        return;
      }
      // Nothing cached: ask the background whether anyone is signed in (it fetches the list if so).
      const reply = await send({ type: 'session/get' });
      if (!reply.ok) {
        if (reply.kind === 'signed-out') return sessionEnded();
        return setView({ kind: 'error', message: reply.message });
      }
      if (!reply.signedIn) return sessionEnded('expired' in reply ? 'Your session has expired. Please sign in again.' : undefined);
      if (!(await showCache())) setView(LIST_LOST);
    })();
    // Once, on open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const signOut = useCallback(() => {
    void send({ type: 'session/sign-out' }).then(() => sessionEnded());
  }, [sessionEnded]);

  switch (view.kind) {
    case 'loading':
      return <main class="popup" aria-busy="true" />;
    case 'error':
      return (
        <main class="popup">
          <p class="message error" role="alert">
            {view.message}
          </p>
        </main>
      );
    case 'sign-in':
      return signInFormLoaded && SignInForm ? (
        <SignInForm
          notice={view.notice}
          onSignedIn={() =>
            void showCache().then((cached) => {
              if (!cached) return setView(LIST_LOST);
              // A sign-in's list does not say which pairs on request the person already asked for or holds: ask.
              if (cached.list.elevation) void refresh(cached.meta.version);
            })
          }
        />
      ) : (
        <main class="popup sign-in" aria-busy="true" />
      );
    case 'list':
      return (
        <EntitlementList
          cached={view.cached}
          preferences={preferences}
          sync={sync}
          onSignOut={signOut}
          onSignInAgain={() => setView({ kind: 'sign-in', notice: 'Your session has expired. Please sign in again.' })}
          onSessionEnded={sessionEnded}
          onRefresh={refresh}
        />
      );
  }
}
