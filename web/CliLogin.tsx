/**
 * The CLI's sign-in, on the page (`switchyard login` opens #/cli-login?…): once someone is signed in, the
 * page asks them to confirm, since a link can be sent by anyone; then it asks POST /cli/authorize for a
 * one-time code bound to the CLI's PKCE challenge and sends the browser to the CLI's loopback listener
 * with it. Cancel tells the listener so (error=access_denied), as OAuth does. A query that is not a CLI
 * sign-in from this computer never gets this far: CliLoginRefused says why.
 */
import { useState } from 'preact/hooks';
import { cliRedirectWithCode, type CliLoginPageParams } from '../shared/api/cli-login.ts';
import type { Failure, SignedInState } from '../extension/messages.ts';
import { PageView } from './PageView.tsx';
import { LIST_ROUTE, leaveForTheList } from './route.ts';

export type AuthorizeCli = (request: CliLoginPageParams) => Promise<{ ok: true; code: string } | Failure>;

type Step = { kind: 'asking' } | { kind: 'authorizing' } | { kind: 'handed-over' } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

export function CliLogin({ request, signedIn, authorize }: { request: CliLoginPageParams; signedIn: SignedInState; authorize: AuthorizeCli }) {
  const [step, setStep] = useState<Step>({ kind: 'asking' });
  const listener = new URL(request.redirectUri);

  async function confirm() {
    if (step.kind !== 'asking' && step.kind !== 'failed') return;
    setStep({ kind: 'authorizing' });
    const reply = await authorize(request);
    if (!reply.ok) return setStep({ kind: 'failed', message: reply.message });
    // Back must not come here again: the code is single use, and the request is done.
    history.replaceState(null, '', `${location.pathname}${LIST_ROUTE}`);
    setStep({ kind: 'handed-over' });
    location.assign(cliRedirectWithCode(request.redirectUri, reply.code, request.state));
  }

  function cancel() {
    history.replaceState(null, '', `${location.pathname}${LIST_ROUTE}`);
    setStep({ kind: 'cancelled' });
    location.assign(`${request.redirectUri}?${new URLSearchParams({ error: 'access_denied', state: request.state }).toString()}`);
  }

  if (step.kind === 'handed-over' || step.kind === 'cancelled') {
    return (
      <PageView>
        <p class="message info" role="status">
          {step.kind === 'handed-over'
            ? 'The Switchyard CLI has its sign-in. Go back to your terminal; you can close this tab.'
            : 'The CLI was not signed in. You can close this tab.'}
        </p>
      </PageView>
    );
  }
  return (
    <PageView busy={step.kind === 'authorizing'}>
      <h2 class="page-title">Sign in the Switchyard CLI on this computer?</h2>
      <p>
        A <code>switchyard login</code> on this computer (listening on port {listener.port}) asks to act as{' '}
        <strong>{signedIn.user.displayName}</strong>: to list your accounts and get credentials and consoles for them.
      </p>
      <p>Continue only if you ran it yourself just now. A link someone sent you is not a reason to.</p>
      {step.kind === 'failed' && (
        <p class="message error" role="alert">
          {step.message}
        </p>
      )}
      <div class="page-actions">
        <button type="button" class="primary" aria-disabled={step.kind === 'authorizing'} onClick={() => void confirm()}>
          {step.kind === 'authorizing' ? 'Signing in the CLI…' : 'Sign in the CLI'}
        </button>
        <button type="button" class="secondary" onClick={cancel}>
          Cancel
        </button>
      </div>
    </PageView>
  );
}

/** The CLI sign-in route with a query the page refuses: what was wrong, and that nothing was sent anywhere. */
export function CliLoginRefused({ problem }: { problem: string }) {
  return (
    <PageView>
      <h2 class="page-title">This CLI sign-in was refused</h2>
      <p class="message error" role="alert">
        This address cannot sign in the Switchyard CLI: {problem}.
      </p>
      <p>Nothing was signed in and nothing was sent. Run switchyard login again in your terminal; it opens the right address itself.</p>
      <button type="button" class="link" onClick={leaveForTheList}>
        Show my accounts instead
      </button>
    </PageView>
  );
}
