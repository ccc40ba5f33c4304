/**
 * Where the CLI for people keeps its files: `~/.switchyard/` (or SWITCHYARD_HOME), a folder only the
 * person may open (0700), each file only the person may read (0600), as the AWS CLI keeps its SSO cache
 * in ~/.aws/sso/cache. Files are written whole, to a temporary file beside them then renamed over the old
 * one, so a reader never sees half a file and two writers never mix theirs. Synchronous: the CLI is a
 * short-lived process, and `credentials` answers from its cache before anything else is loaded.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type CliEnvironment = Readonly<Record<string, string | undefined>>;

export interface CliPaths {
  home: string;
  /** `{ "api": "<base URL>" }`, written by `switchyard login --api`. */
  settings: string;
  /** The signed-in session: access and refresh tokens (secrets). */
  session: string;
  /** Held while the session is refreshed, so two processes do not both spend one refresh token. */
  sessionLock: string;
  /** One file per (API, account, permission set, region): credentials until a few minutes before they expire. */
  credentialCache: string;
}

export function cliPaths(env: CliEnvironment): CliPaths {
  const home = env.SWITCHYARD_HOME || join(homedir(), '.switchyard');
  return {
    home,
    settings: join(home, 'config.json'),
    session: join(home, 'session.json'),
    sessionLock: join(home, 'session.lock'),
    credentialCache: join(home, 'cache', 'credentials'),
  };
}

/** The folder, made if needed, readable by the person alone. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes the whole file atomically, readable by the person alone (0600). */
export function writePrivateFile(path: string, text: string): void {
  privateDir(dirname(path));
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The file's JSON, or undefined when there is no such file or it is not JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
