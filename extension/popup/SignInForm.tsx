/** Username and password sign-in against the directory. Cognito sign-in joins here later (its own issue). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignedInState } from '../messages.ts';
import { sendToBackground } from './background-client.ts';
import { BackendFooter } from './BackendFooter.tsx';
import { Logo } from './Logo.tsx';

interface Props {
  /** Why the form is shown, e.g. "Your session has ended." */
  notice?: string | undefined;
  onSignedIn(state: SignedInState): void;
}

export function SignInForm({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => usernameInput.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(!username.trim() ? 'Enter your username.' : 'Enter your password.');
      (!username.trim() ? usernameInput : passwordInput).current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const reply = await sendToBackground({ type: 'session/sign-in', credentials: { username: username.trim(), password } });
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

  return (
    <main class="popup sign-in">
      <header class="brand">
        <Logo />
        <h1>Switchyard</h1>
      </header>
      <form onSubmit={(event) => void submit(event)} aria-describedby={error ? 'sign-in-error' : undefined} noValidate>
        {notice && !error && (
          <p class="message info" role="status">
            {notice}
          </p>
        )}
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
          readOnly={busy}
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
          readOnly={busy}
        />
        {error && (
          <p id="sign-in-error" class="message error" role="alert">
            {error}
          </p>
        )}
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
        <button type="submit" class="primary" aria-disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <BackendFooter />
    </main>
  );
}
