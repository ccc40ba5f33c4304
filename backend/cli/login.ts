/**
 * `switchyard login [--api URL] [--no-browser] [--timeout SECONDS]`: signs the person in through the
 * browser and keeps a session of the CLI's own in ~/.switchyard/session.json (docs/cli.md). The loopback
 * handoff of RFC 8252: a listener on 127.0.0.1, the web page at the API's origin, a one-time code bound
 * to this login's PKCE verifier, checked `state`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cliLoginPageUrl } from '../../shared/api/cli-login.ts';
import { API_ROUTES } from '../../shared/api/routes.ts';
import { errorText } from '../../shared/error-text.ts';
import { printable } from '../../shared/printable.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.ts';
import { callApi } from './people/api-client.ts';
import { normalizeApiUrl, saveApiUrl } from './people/api-url.ts';
import { clearCredentialCache } from './people/credential-cache.ts';
import { startLoopbackListener } from './people/loopback-listener.ts';
import { openInBrowser } from './people/open-browser.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { endOnServer, readSession, saveSession, storedSessionOf } from './people/session-store.ts';

const DEFAULT_TIMEOUT_SECONDS = 300;

export const login: Command = {
  words: ['login'],
  usage: '[--api URL] [--no-browser] [--timeout SECONDS]',
  summary: 'sign in through your browser; the terminal commands then use this session',
  help: `Opens the Switchyard web page in your browser; sign in there, and the page hands this terminal a one-time
code over a redirect to 127.0.0.1 (nothing leaves your machine but the sign-in itself). --no-browser prints the
URL instead, to open anywhere on this machine. --api URL is remembered (~/.switchyard/config.json) for later
commands; SWITCHYARD_API_URL overrides it. The session is kept in ~/.switchyard/session.json, readable by you alone.`,
  async run(args, io) {
    const values = parseOptions(args, { api: { type: 'string' }, 'no-browser': { type: 'boolean' }, timeout: { type: 'string' } });
    const api = values.api !== undefined ? apiOrUsage(values.api) : requireApiUrl(undefined, io.env);
    const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new UsageError('--timeout takes a whole number of seconds');

    return asPerson('login', io, async () => {
      const listener = await startLoopbackListener();
      try {
        const verifier = randomBytes(32).toString('base64url');
        const state = randomBytes(16).toString('base64url');
        const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
        const url = cliLoginPageUrl(api, { redirectUri: listener.redirectUri, state, codeChallenge });
        if (values['no-browser']) {
          io.stderr(`Open this URL in a browser on this machine and sign in:\n\n  ${url}\n\nWaiting for the sign-in...\n`);
        } else if (await openInBrowser(url, io.env)) {
          io.stderr(`Opening your browser to sign in. If it does not open, visit:\n\n  ${url}\n\nWaiting for the sign-in...\n`);
        } else {
          io.stderr(`Could not open a browser. Open this URL in a browser on this machine and sign in:\n\n  ${url}\n\nWaiting for the sign-in...\n`);
        }
        let code: string;
        try {
          code = await listener.code(state, timeoutSeconds * 1000);
        } catch (error) {
          io.stderr(`switchyard login: ${errorText(error).replace(/^Error: /, '')}; nothing changed\n`);
          return EXIT_FAILED;
        }
        const answer = await callApi(api, API_ROUTES.sessionCli, { body: { code, codeVerifier: verifier, redirectUri: listener.redirectUri } });
        const previous = readSession(io.env);
        saveSession(io.env, storedSessionOf(api, answer));
        clearCredentialCache(io.env);
        if (values.api !== undefined) saveApiUrl(io.env, api);
        // The session this one replaces ends on the server too, as a sign-out would end it.
        if (previous) await endOnServer(previous).catch(() => undefined);
        const until = answer.refreshExpiresAt
          ? `, until ${answer.refreshExpiresAt}`
          : ' (for one access token: this deployment cannot renew sessions)';
        io.stderr(
          `Signed in to ${printable(api)} as ${printable(answer.user.displayName)} (${printable(answer.user.id)})${until}: ${answer.entitlements.length} entitlements.\n`,
        );
        return EXIT_OK;
      } finally {
        await listener.close();
      }
    });
  },
};

function apiOrUsage(raw: string): string {
  try {
    return normalizeApiUrl(raw);
  } catch (error) {
    throw new UsageError(errorText(error).replace(/^Error: /, ''));
  }
}
