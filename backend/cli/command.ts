import { parseArgs } from 'node:util';
import { errorText } from '../../shared/error-text.ts';

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
  /** Longer text for `--help`: what the command proves and what it cannot, say. */
  help?: string;
  /** Arguments after the words. Returns the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
  /** The exit code of a wrong command line (default EXIT_USAGE): `policy plan` keeps 2 for "changes", as terraform does. */
  usageExitCode?: number;
}

export const EXIT_OK = 0;
/** The thing checked is wrong (invalid policy, refused change). */
export const EXIT_FAILED = 1;
/** The command line is wrong, or something needed could not be read. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/**
 * A wrong command line or configuration as the person at the command line reads it: the whole
 * message, since these messages are written for them (parseArgs names the option; a ConfigError lists
 * every bad variable, one per line). Anything else thrown is put into words by errorText.
 */
export function asUsageError(error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  return new UsageError(error instanceof Error ? error.message : errorText(error));
}

type OptionTypes = Record<string, { type: 'boolean' | 'string' }>;

/** The options parsed by parseDirArgs: `--json` and the command's own, each undefined when absent. */
export type DirArgValues<T extends OptionTypes> = {
  [K in keyof T | 'json']?: K extends keyof T ? (T[K]['type'] extends 'string' ? string : boolean) : boolean;
};

/** `DIR` plus `--json` and the command's own options; anything else is a UsageError. */
export function parseDirArgs<T extends OptionTypes>(args: string[], extra: T): { values: DirArgValues<T>; dir: string } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' as const }, ...extra } });
  } catch (error) {
    throw asUsageError(error);
  }
  if (parsed.positionals.length !== 1)
    throw new UsageError(parsed.positionals.length === 0 ? 'missing DIR' : `one DIR only, got ${parsed.positionals.length}`);
  return { values: parsed.values, dir: parsed.positionals[0] as string };
}
