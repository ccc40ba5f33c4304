/**
 * The sign-in screen. It offers what the deployment offers (the background asks the backend, or the
 * extension's settings say): user name and password against the company directory, single sign-on
 * through a Cognito user pool's hosted UI, or both. Single sign-on runs in the background worker,
 * which keeps going if the popup closes while the sign-in window is open.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { SignedInState } from '../messages.ts';
import { BackendFooter } from './BackendFooter.tsx';
import { send, showsBackend } from './host.ts';
import { Logo } from './Logo.tsx';

interface Props {
  /** Why the form is shown, e.g. "Your session has expired. Please sign in again." */
  notice?: string | undefined;
  onSignedIn(state: SignedInState): void;
}

type Busy = false | 'password' | 'sso';

export function SignInForm({ notice, onSignedIn }: Props) {
  const [methods, setMethods] = useState<SignInMethod[] | undefined>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<Busy>(false);
  const [error, setError] = useState<string | undefined>();
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const ssoButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void (async () => {
      const reply = await send({ type: 'auth/methods' });
      if (reply.ok) {
        setMethods(reply.methods);
      } else {
        // The backend could not say: offer the password form, and say what went wrong.
        setMethods(['directory']);
        setError(reply.message);
      }
    })();
  }, []);

  const directory = methods?.includes('directory') ?? false;
  const sso = methods?.includes('cognito') ?? false;

  useEffect(() => {
    if (directory) usernameInput.current?.focus();
    else if (sso) ssoButton.current?.focus();
  }, [directory, sso]);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(!username.trim() ? 'Enter your username.' : 'Enter your password.');
      (!username.trim() ? usernameInput : passwordInput).current?.focus();
      return;
    }
    setBusy('password');
    setError(undefined);
    const reply = await send({ type: 'session/sign-in', credentials: { username: username.trim(), password } });
    setBusy(false);
    if (reply.ok) {
      setPassword('');
      onSignedIn(reply);
      return;
    }
    setError(reply.message);
    if (reply.kind === 'invalid-credentials') {
      setPassword('');
      passwordInput.current?.focus();
    }
  }

  async function singleSignOn() {
    if (busy) return;
    setBusy('sso');
    setError(undefined);
    const reply = await send({ type: 'session/sign-in-cognito' });
    setBusy(false);
    if (reply.ok) onSignedIn(reply);
    else setError(reply.message);
  }

  return (
    <main class="popup sign-in" aria-busy={methods === undefined}>
      <header class="brand">
        <Logo />
        <h1>Switchyard</h1>
      </header>
      {methods !== undefined && (
        <form onSubmit={(event) => void submit(event)} aria-describedby={error ? 'sign-in-error' : undefined} noValidate>
          {notice && !error && (
            <p class="message info" role="status">
              {notice}
            </p>
          )}
          {sso && (
            <button
              type="button"
              ref={ssoButton}
              class={directory ? 'secondary' : 'primary'}
              aria-disabled={busy !== false}
              onClick={() => void singleSignOn()}
            >
              {busy === 'sso' ? 'Waiting for single sign-on…' : 'Sign in with single sign-on'}
            </button>
          )}
          {sso && directory && (
            <p class="or" aria-hidden="true">
              or with your directory account
            </p>
          )}
          {directory && (
            <>
              <label for="username">Username</label>
              <input
                id="username"
                ref={usernameInput}
                name="username"
                autocomplete="username"
                autocapitalize="off"
                spellcheck={false}
                placeholder={'name, name@company.com or DOMAIN\\name'}
                value={username}
                onInput={(event) => setUsername(event.currentTarget.value)}
                readOnly={busy !== false}
              />
              <label for="password">Password</label>
              <input
                id="password"
                ref={passwordInput}
                name="password"
                type="password"
                autocomplete="current-password"
                value={password}
                onInput={(event) => setPassword(event.currentTarget.value)}
                readOnly={busy !== false}
              />
            </>
          )}
          {error && (
            <p id="sign-in-error" class="message error" role="alert">
              {error}
            </p>
          )}
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
          {directory && (
            <button type="submit" class="primary" aria-disabled={busy !== false}>
              {busy === 'password' ? 'Signing in…' : 'Sign in'}
            </button>
          )}
        </form>
      )}
      {showsBackend && <BackendFooter />}
    </main>
  );
}
