/**
 * The web page's entry (docs/web-page.md): finish a single sign-on if the hosted UI just sent the browser
 * back, read this tab's list and the preferences, then draw the page with the popup's components over the
 * page's own client.
 */
import './zod-without-eval.ts';
import { render } from 'preact';
import '../extension/popup/popup.css';
import './page.css';
import { runIn, type Host, type PairToolsProps } from '../extension/popup/host.ts';
import { CredentialsTools } from './CredentialsTools.tsx';
import { makePageClient } from './page-client.ts';
import { Page } from './Page.tsx';

const client = makePageClient(window);
const host: Host = {
  ...client.host,
  PairTools: (props: PairToolsProps) => <CredentialsTools {...props} getCredentials={client.credentials} />,
};
runIn(host);

const back = await client.completeSingleSignOn();
const [initial, preferences] = await Promise.all([
  host.readList().catch(() => undefined),
  host.preferences.load().catch(() => ({ favourites: [], recents: [], pinned: [] })),
]);
const root = document.getElementById('app');
if (root) {
  render(<Page initial={initial} preferences={preferences} signInFailure={back?.failure} authorizeCli={client.authorizeCli} />, root);
}
