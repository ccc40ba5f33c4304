/**
 * A deep link, once someone is signed in: the pair it names is looked up in their own list and opened in
 * this tab, as a click on its row would. The route is replaced by the list's first, so Back from the
 * console comes to the list instead of opening the console again. A link that cannot be followed says why.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SignedInState } from '../extension/messages.ts';
import { send } from '../extension/popup/host.ts';
import { deepLinkTarget, type DeepLink } from './deep-link.ts';
import { PageView } from './PageView.tsx';
import { LIST_ROUTE, leaveForTheList } from './route.ts';

export function OpenDeepLink({ link, signedIn }: { link: DeepLink; signedIn: SignedInState }) {
  const resolved = useMemo(() => deepLinkTarget(link, signedIn.entitlements), [link, signedIn]);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!resolved.ok) return;
    const { accountName: _name, ...target } = resolved.target;
    history.replaceState(null, '', `${location.pathname}${LIST_ROUTE}`);
    void send({ type: 'console/open', target, disposition: 'default' }).then((reply) => {
      if (!reply.ok) setFailure(reply.message);
    });
  }, [resolved]);

  const label = resolved.ok ? `${resolved.target.accountName} as ${resolved.target.permissionSet}` : undefined;
  const problem = resolved.ok ? (failure ? `Could not open ${label}. ${failure}` : undefined) : `This link cannot be opened: ${resolved.problem}.`;
  return (
    <PageView busy={!problem}>
      {problem ? (
        <>
          <p class="message error" role="alert">
            {problem}
          </p>
          <button type="button" class="primary" onClick={leaveForTheList}>
            Show my accounts
          </button>
        </>
      ) : (
        <p class="message info" role="status">
          Opening {label}…
        </p>
      )}
    </PageView>
  );
}
