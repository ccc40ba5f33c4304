/**
 * `switchyard configure [--print] [--diff] [--profile-name TEMPLATE]`: one AWS CLI profile per entitlement
 * in ~/.aws/config (or AWS_CONFIG_FILE), each with `credential_process` running `switchyard credentials`
 * and the account's first region, inside a marked block this command owns (shared/cli/aws-config.ts).
 * Lines outside the block are never changed; profiles of entitlements that are gone leave with the block's
 * rewrite; a second run changes nothing. A file the AWS CLI could not read, or a profile of the same name
 * outside the block, stops it with the line named, and nothing is written.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { planAwsConfig, renderBlock, type AwsProfile } from '../../shared/cli/aws-config.ts';
import { DEFAULT_PROFILE_NAME_TEMPLATE, profileName, templateProblem } from '../../shared/cli/profile-names.ts';
import { printable } from '../../shared/printable.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo, type Command } from './command.ts';
import { listEntitlements } from './people/entitlement-target.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { accessToken } from './people/session-store.ts';

export interface ConfigureOptions {
  /** The command line that runs this CLI (default: this Node and this script), for credential_process. */
  self?: () => string[];
}

export function makeConfigure(options: ConfigureOptions = {}): Command {
  const self = options.self ?? (() => [process.execPath, resolve(process.argv[1] ?? 'switchyard')]);
  return {
    words: ['configure'],
    usage: '[--print] [--diff] [--profile-name TEMPLATE] [--api URL]',
    summary: 'write one AWS CLI profile per entitlement into ~/.aws/config (credential_process), in a block it owns',
    help: `TEMPLATE names each profile from <account-name>, <account-id> and <permission-set> (default ${DEFAULT_PROFILE_NAME_TEMPLATE}).
--print prints the block and --diff the change to the file; neither writes. AWS_CONFIG_FILE is honoured, as by the
AWS CLI. Console-only permission sets (cli: false) get no profile: open them with switchyard console.`,
    async run(args, io) {
      const values = parseOptions(args, {
        print: { type: 'boolean' },
        diff: { type: 'boolean' },
        'profile-name': { type: 'string' },
        api: { type: 'string' },
      });
      const template = values['profile-name'] ?? DEFAULT_PROFILE_NAME_TEMPLATE;
      const problem = templateProblem(template);
      if (problem) throw new UsageError(`--profile-name: ${problem}`);
      const api = requireApiUrl(values.api, io.env);
      return asPerson('configure', io, async () => {
        const entitlements = await listEntitlements(api, await accessToken(io.env, api));
        const command = [...self(), 'credentials'];
        const profiles = entitlements.filter((e) => !e.consoleOnly).map((e) => profileOf(e, template, command, api));
        const consoleOnly = entitlements.filter((e) => e.consoleOnly).map((e) => `${e.accountName}/${e.permissionSet}`);
        const notes = consoleOnly.length > 0 ? [`console-only, no profile (switchyard console opens them): ${consoleOnly.join(', ')}`] : [];
        if (values.print) {
          io.stdout(printedBlock(profiles, notes));
          return EXIT_OK;
        }
        const file = configFileOf(io.env);
        const current = readText(file);
        const planned = planAwsConfig(current, profiles, notes);
        if (!planned.ok) {
          for (const { line, message } of planned.problems) io.stderr(`${printable(line > 0 ? `${file}:${line}` : file)}: ${printable(message)}\n`);
          io.stderr(`switchyard configure: nothing was written to ${printable(file)}\n`);
          return EXIT_FAILED;
        }
        const { plan } = planned;
        if (values.diff) {
          if (plan.changed) io.stdout(createTwoFilesPatch(file, file, current, plan.text, 'now', 'after switchyard configure'));
          else io.stderr(`${printable(file)} is up to date: nothing would change\n`);
          return EXIT_OK;
        }
        if (!plan.changed) {
          io.stderr(`${printable(file)} is up to date: ${profiles.length} profiles\n`);
          return EXIT_OK;
        }
        writeKeepingMode(file, plan.text);
        const counts = [
          `${plan.added.length} added`,
          `${plan.updated.length} updated`,
          `${plan.removed.length} removed`,
          `${plan.unchanged.length} unchanged`,
        ];
        io.stderr(`Wrote ${profiles.length} profiles to ${printable(file)} (${counts.join(', ')}).\n`);
        const first = profiles[0];
        if (first) io.stderr(`Try: aws sts get-caller-identity --profile ${printable(first.name)}\n`);
        return EXIT_OK;
      });
    },
  };
}

export const configure = makeConfigure();

/** What `--print` shows: the block's lines, each escaped on its own, so a backslash in a line stays a backslash. */
export function printedBlock(profiles: readonly AwsProfile[], notes: readonly string[]): string {
  return `${renderBlock(profiles, notes).map(printable).join('\n')}\n`;
}

function profileOf(entitlement: Entitlement, template: string, command: string[], api: string): AwsProfile {
  const name = profileName(template, {
    accountName: entitlement.accountName,
    accountId: entitlement.accountId,
    permissionSet: entitlement.permissionSet,
  });
  const line = [...command, '--account', entitlement.accountId, '--permission-set', entitlement.permissionSet, '--api', api].map(shellWord).join(' ');
  const region = entitlement.regions[0];
  return { name, settings: [['credential_process', line], ...(region ? [['region', region] as const] : [])] };
}

/**
 * One word as botocore (shlex, POSIX rules) and the SDKs' sh both read it: bare when it is plain, else in
 * single quotes, where neither treats any character specially (a ' itself is closed, escaped and reopened).
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function configFileOf(env: CliIo['env']): string {
  const chosen = env.AWS_CONFIG_FILE;
  if (!chosen) return join(homedir(), '.aws', 'config');
  return chosen.startsWith('~/') ? join(homedir(), chosen.slice(2)) : resolve(chosen);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Replaces the file whole (a temporary file renamed over it), with the mode it had (0600 for a new one). */
function writeKeepingMode(file: string, text: string): void {
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text, { mode, flag: 'wx' });
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
