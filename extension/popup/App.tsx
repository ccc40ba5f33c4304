/** The popup: sign-in form, or the signed-in person's list. The background does all the talking to the backend. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SignedInState } from '../messages.ts';
import { sendToBackground } from './background-client.ts';
import { EntitlementList } from './EntitlementList.tsx';
import type { RefreshStatus } from './EntitlementList.tsx';
import { SignInForm } from './SignInForm.tsx';

type View = { kind: 'loading' } | { kind: 'sign-in'; notice?: string } | { kind: 'list'; state: SignedInState };

export function App() {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [refresh, setRefresh] = useState<RefreshStatus>({ kind: 'idle' });

  const sessionEnded = useCallback((notice?: string) => {
    setRefresh({ kind: 'idle' });
    setView({ kind: 'sign-in', notice });
  }, []);

  const refreshList = useCallback(async () => {
    setRefresh({ kind: 'running' });
    const reply = await sendToBackground({ type: 'entitlements/refresh' });
    if (reply.ok) {
      setView({ kind: 'list', state: reply });
      setRefresh({ kind: 'idle' });
    } else if (reply.kind === 'signed-out' || reply.kind === 'expired') {
      sessionEnded(reply.message);
    } else {
      setRefresh({ kind: 'failed', message: reply.message });
    }
  }, [sessionEnded]);

  useEffect(() => {
    void (async () => {
      const reply = await sendToBackground({ type: 'session/get' });
      if (!reply.ok) return sessionEnded(reply.kind === 'signed-out' ? undefined : reply.message);
      // Expired: the background keeps the list it last fetched (reply.entitlements) while asking to sign in again.
      if (!reply.signedIn) return sessionEnded('expired' in reply ? 'Your session has expired. Please sign in again.' : undefined);
      setView({ kind: 'list', state: reply });
      await refreshList();
    })();
  }, [refreshList, sessionEnded]);

  async function signOut() {
    await sendToBackground({ type: 'session/sign-out' });
    sessionEnded();
  }

  switch (view.kind) {
    case 'loading':
      return <main class="popup" aria-busy="true" />;
    case 'sign-in':
      return <SignInForm notice={view.notice} onSignedIn={(state) => setView({ kind: 'list', state })} />;
    case 'list':
      return <EntitlementList state={view.state} refresh={refresh} onSignOut={() => void signOut()} onSessionEnded={sessionEnded} />;
  }
}
