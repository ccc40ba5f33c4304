/**
 * The web page: the popup's App for the list (the same sign-in form, list, search, region and destination
 * panel), and the page's own views for its other routes: a deep link that opens one pair, the CLI's
 * sign-in and its refusal. Notices (a single sign-on that failed, a link that was refused) show above.
 */
import { App } from '../extension/popup/App.tsx';
import type { CachedList } from '../extension/popup/cached-list-reader.ts';
import type { Preferences } from '../extension/popup/preferences.ts';
import { CliLogin, CliLoginRefused, type AuthorizeCli } from './CliLogin.tsx';
import { OpenDeepLink } from './OpenDeepLink.tsx';
import { useRoute } from './route.ts';
import { SignedIn } from './SignedIn.tsx';

interface Props {
  initial: CachedList | undefined;
  preferences: Preferences;
  /** Why single sign-on did not sign anyone in, when the page is its way back. */
  signInFailure?: string;
  authorizeCli: AuthorizeCli;
}

export function Page({ initial, preferences, signInFailure, authorizeCli }: Props) {
  const route = useRoute();
  const notice = signInFailure ?? (route.kind === 'list' && route.refusedLink ? `This link cannot be opened: ${route.refusedLink}.` : undefined);
  const view = (() => {
    switch (route.kind) {
      case 'open':
        return <SignedIn notice="Sign in to open the link.">{(signedIn) => <OpenDeepLink link={route.link} signedIn={signedIn} />}</SignedIn>;
      case 'cli-login':
        return (
          <SignedIn notice="Sign in here to sign in the Switchyard CLI.">
            {(signedIn) => <CliLogin request={route.request} signedIn={signedIn} authorize={authorizeCli} />}
          </SignedIn>
        );
      case 'cli-login-refused':
        return <CliLoginRefused problem={route.problem} />;
      case 'list':
        return <App initial={initial} preferences={preferences} />;
    }
  })();
  return (
    <>
      {notice && (
        <p class="message error page-notice" role="alert">
          {notice}
        </p>
      )}
      {view}
    </>
  );
}
