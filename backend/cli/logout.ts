/**
 * `switchyard logout`: ends the CLI's session on the server (as the extension's sign-out does: its access
 * and refresh tokens stop working everywhere at once), then forgets it here, with the cached credentials.
 * Credentials already handed out keep working until they expire, as AWS's do.
 */
import { printable } from '../../shared/printable.ts';
import { EXIT_FAILED, EXIT_OK, type Command } from './command.ts';
import { ApiRefused, ApiUnreachable } from './people/api-client.ts';
import { clearCredentialCache } from './people/credential-cache.ts';
import { parseOptions } from './people/person-command.ts';
import { endOnServer, readSession, removeSession } from './people/session-store.ts';

export const logout: Command = {
  words: ['logout'],
  usage: '',
  summary: 'end your session on the server and forget it here, with the cached credentials',
  async run(args, io) {
    parseOptions(args, {});
    const session = readSession(io.env);
    clearCredentialCache(io.env);
    if (!session) {
      io.stderr('You are not signed in.\n');
      return EXIT_OK;
    }
    try {
      await endOnServer(session);
    } catch (error) {
      if (!(error instanceof ApiUnreachable || error instanceof ApiRefused)) throw error;
      removeSession(io.env);
      const ends = session.refreshExpiresAt ? ` It ends on its own at ${session.refreshExpiresAt}.` : '';
      io.stderr(`switchyard logout: signed out on this machine, but the server was not told (${printable(error.message)}).${ends}\n`);
      return EXIT_FAILED;
    }
    removeSession(io.env);
    io.stderr(`Signed out of ${printable(session.api)} (${printable(session.user.id)}).\n`);
    return EXIT_OK;
  },
};
