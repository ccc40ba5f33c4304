/**
 * What the web page adds to a pair's panel (the popup's OpenPanel, through Host.PairTools): a link to
 * share (the deep link to this pair, region and destination), and the pair's temporary credentials for
 * the terminal. The credentials are asked for only on the click, live in this component's state alone (no
 * storage, gone when the panel closes or they expire) and are shown as text: environment variables for
 * bash and PowerShell, a credentials file profile, the credential_process profile of
 * `switchyard configure`, and when they expire, each with a Copy button.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Failure } from '../extension/messages.ts';
import type { PairToolsProps } from '../extension/popup/host.ts';
import { clockTime } from '../extension/popup/session-time.ts';
import { credentialSnippets, type CredentialSnippets, type TemporaryCredentials } from './credential-snippets.ts';
import { deepLinkTo } from './deep-link.ts';
import { pageAddress } from './single-sign-on.ts';

export type GetCredentials = (request: {
  accountId: string;
  permissionSet: string;
  region: string;
}) => Promise<{ ok: true; credentials: TemporaryCredentials } | Failure>;

type State = (
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'shown'; snippets: CredentialSnippets; expiration: string; region: string }
  | { kind: 'failed'; message: string }
) & { for?: string };

const BLOCKS: { key: keyof CredentialSnippets; title: string }[] = [
  { key: 'bash', title: 'bash, zsh' },
  { key: 'powershell', title: 'PowerShell' },
  { key: 'credentialsFile', title: '~/.aws/credentials' },
  { key: 'configProfile', title: '~/.aws/config, as switchyard configure writes it (fresh credentials on every use)' },
];

export function CredentialsTools(props: PairToolsProps & { getCredentials: GetCredentials }) {
  const { accountId, accountName, permissionSet, region, destination, getCredentials } = props;
  const pair = `${accountId}:${permissionSet}:${region}`;
  const [kept, setState] = useState<State>({ kind: 'idle' });
  const [said, setSaid] = useState<string>();
  // Credentials of another pair or region are never shown under this one's name.
  const state: State = kept.for === pair ? kept : { kind: 'idle' };

  useEffect(() => {
    if (kept.kind !== 'shown') return;
    const left = Date.parse(kept.expiration) - Date.now();
    const forget = setTimeout(
      () => setState({ kind: 'failed', message: 'These credentials have expired. Get new ones.', for: kept.for }),
      Math.max(0, left),
    );
    return () => clearTimeout(forget);
  }, [kept]);

  async function get() {
    if (state.kind === 'loading') return;
    setState({ kind: 'loading', for: pair });
    const reply = await getCredentials({ accountId, permissionSet, region });
    if (!reply.ok) return setState({ kind: 'failed', message: reply.message, for: pair });
    const snippets = credentialSnippets({ accountId, accountName, permissionSet }, reply.credentials);
    if (!snippets) return setState({ kind: 'failed', message: 'The backend sent credentials this page cannot show.', for: pair });
    setState({ kind: 'shown', snippets, expiration: reply.credentials.Expiration, region: reply.credentials.Region, for: pair });
  }

  function copy(text: string, what: string) {
    void navigator.clipboard.writeText(text).then(
      () => setSaid(`Copied ${what}.`),
      () => setSaid('Could not copy to the clipboard.'),
    );
  }

  const link = deepLinkTo(pageAddress(location), { account: accountId, permissionSet, region, ...(destination ? { destination } : {}) });
  return (
    <section class="pair-tools" aria-label="Share and use from the terminal">
      <div class="pair-tools-actions">
        <button type="button" onClick={() => copy(link, 'a link to this role')}>
          Copy link
        </button>
        <button type="button" aria-disabled={state.kind === 'loading'} onClick={() => void get()}>
          {state.kind === 'loading' ? 'Getting credentials…' : 'Credentials for the terminal'}
        </button>
      </div>
      <p class="pair-tools-said" role="status">
        {said}
      </p>
      {state.kind === 'failed' && (
        <p class="message error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'shown' && (
        <div class="credentials" aria-label={`Credentials for ${accountName} as ${permissionSet}`}>
          <p class="credentials-expiry">
            For {state.region}, valid until <time dateTime={state.expiration}>{clockTime(state.expiration)}</time>. Shown here only: this page keeps
            them nowhere.
          </p>
          {BLOCKS.map(({ key, title }) => (
            <figure key={key} class="snippet">
              <figcaption>
                <span>{title}</span>
                <button type="button" class="link" onClick={() => copy(state.snippets[key], title)}>
                  Copy
                </button>
              </figcaption>
              <pre data-snippet={key}>{state.snippets[key]}</pre>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
