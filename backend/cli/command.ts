/** What every CLI command is: words that name it, a usage line, and a run that returns an exit code. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** The words after `switchyard`, e.g. ["policy", "validate"]. */
  words: readonly string[];
  /** Arguments and options after the words, e.g. "DIR [--json] [--discover]". */
  usage: string;
  summary: string;
  /** Arguments after the words. Returns the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
/** The thing checked is wrong (invalid policy, refused change). */
export const EXIT_FAILED = 1;
/** The command line is wrong, or something needed could not be read. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}
