/**
 * What the commands for people share: their command line (parseArgs, strict), which API, and how a
 * failure reaches the person: one line on stderr and an exit code (docs/cli.md, "Exit codes"). A missing
 * or ended session is exit 3 with "run switchyard login", which a script can tell from a refusal (1).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { asUsageError, EXIT_FAILED, UsageError, type CliIo } from '../command.ts';
import { ApiRefused, ApiUnreachable } from './api-client.ts';
import { resolveApiUrl } from './api-url.ts';
import { NotSignedIn } from './session-store.ts';
import { printable } from '../../../shared/printable.ts';

/** No session, or it ended: `switchyard login` first. */
export const EXIT_SIGN_IN = 3;

type OptionValues<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>['values'];

/** The options of `args` (no positional arguments); anything else is a UsageError naming it. */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O): OptionValues<O> {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
    return parsed.values;
  } catch (error) {
    throw asUsageError(error);
  }
}

/** The API URL (--api, SWITCHYARD_API_URL, or the one saved by login); a UsageError saying how to set one. */
export function requireApiUrl(flag: string | undefined, env: CliIo['env']): string {
  let api: string | undefined;
  try {
    api = resolveApiUrl(flag, env);
  } catch (error) {
    throw asUsageError(error);
  }
  if (api === undefined) throw new UsageError('which Switchyard? run switchyard login --api <URL> once (or pass --api, or set SWITCHYARD_API_URL)');
  return api;
}

/** Runs a command's work; the failures people meet become a line on stderr and an exit code. */
export async function asPerson(name: string, io: CliIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotSignedIn) {
      io.stderr(`switchyard ${name}: ${printable(error.message)}\n`);
      return EXIT_SIGN_IN;
    }
    if (error instanceof ApiRefused && error.status === 401) {
      io.stderr(`switchyard ${name}: your session has ended or is not valid: run switchyard login\n`);
      return EXIT_SIGN_IN;
    }
    if (error instanceof ApiRefused || error instanceof ApiUnreachable) {
      io.stderr(`switchyard ${name}: ${printable(error.message)}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
}
