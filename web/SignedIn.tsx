/**
 * What needs a signed-in person (a deep link, the CLI's sign-in): the popup's sign-in form first when
 * nobody is signed in in this tab, then `children` with who signed in and their list.
 */
import { useEffect, useState } from 'preact/hooks';
import type { VNode } from 'preact';
import type { SignedInState } from '../extension/messages.ts';
import { send } from '../extension/popup/host.ts';
import { SignInForm } from '../extension/popup/SignInForm.tsx';
import { PageView } from './PageView.tsx';

type State =
  { kind: 'checking' } | { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; state: SignedInState } | { kind: 'error'; message: string };

interface Props {
  /** Why the person is asked to sign in here. */
  notice: string;
  children(signedIn: SignedInState): VNode;
}

export function SignedIn({ notice, children }: Props) {
  const [state, setState] = useState<State>({ kind: 'checking' });

  useEffect(() => {
    void send({ type: 'session/get' }).then((reply) => {
      if (!reply.ok) setState(reply.kind === 'signed-out' ? { kind: 'signed-out', notice } : { kind: 'error', message: reply.message });
      else if (!reply.signedIn) setState({ kind: 'signed-out', notice: 'expired' in reply ? `Your session has expired. ${notice}` : notice });
      else setState({ kind: 'signed-in', state: { user: reply.user, entitlements: reply.entitlements, fetchedAt: reply.fetchedAt } });
    });
  }, [notice]);

  switch (state.kind) {
    case 'checking':
      return <PageView busy>{null}</PageView>;
    case 'error':
      return (
        <PageView>
          <p class="message error" role="alert">
            {state.message}
          </p>
        </PageView>
      );
    case 'signed-out':
      return <SignInForm notice={state.notice} onSignedIn={(signedIn) => setState({ kind: 'signed-in', state: signedIn })} />;
    case 'signed-in':
      return children(state.state);
  }
}
