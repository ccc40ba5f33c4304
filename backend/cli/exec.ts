/**
 * `switchyard exec --account <id|name> --permission-set <name> [--region R] -- COMMAND [ARGS...]`: runs a
 * command with one pair's temporary credentials in its environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION, AWS_CREDENTIAL_EXPIRATION), as
 * aws-vault exec does. AWS_PROFILE is removed so no profile competes with them. Exits with the command's
 * exit code.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UsageError, type Command } from './command.ts';
import { CREDENTIALS_OPTIONS } from './people/credentials-fast-path.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { roleCredentials } from './people/role-credentials.ts';

export const exec: Command = {
  words: ['exec'],
  usage: '--account <id|name> --permission-set <name> [--region REGION] [--api URL] -- COMMAND [ARGS...]',
  summary: "run a command with one of your entitlements' temporary credentials in its environment",
  async run(args, io) {
    const separator = args.indexOf('--');
    const command = separator < 0 ? [] : args.slice(separator + 1);
    if (command.length === 0) throw new UsageError('give the command after --, e.g. switchyard exec ... -- aws s3 ls');
    const values = parseOptions(args.slice(0, separator), CREDENTIALS_OPTIONS);
    const account = values.account;
    const permissionSet = values['permission-set'];
    if (account === undefined || permissionSet === undefined) throw new UsageError('--account and --permission-set are required');
    const api = requireApiUrl(values.api, io.env);
    return asPerson('exec', io, async () => {
      const issued = await roleCredentials(io.env, api, { account, permissionSet, ...(values.region ? { region: values.region } : {}) });
      const env: Record<string, string | undefined> = {
        ...io.env,
        AWS_ACCESS_KEY_ID: issued.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: issued.SecretAccessKey,
        AWS_SESSION_TOKEN: issued.SessionToken,
        AWS_REGION: issued.Region,
        AWS_DEFAULT_REGION: issued.Region,
        AWS_CREDENTIAL_EXPIRATION: issued.Expiration,
      };
      delete env.AWS_PROFILE;
      delete env.AWS_DEFAULT_PROFILE;
      return run(command, env, io.stderr);
    });
  },
};

/** Runs the command with the terminal's stdio; its exit code (128 + the signal's number when a signal ended it). */
function run(command: string[], env: Record<string, string | undefined>, stderr: (text: string) => void): Promise<number> {
  const [file, ...rest] = command as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(file, rest, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    const done = (code: number) => {
      for (const signal of signals) process.off(signal, forward);
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      stderr(`switchyard exec: cannot run ${file}: ${error.code === 'ENOENT' ? 'not found' : error.message}\n`);
      done(127);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
