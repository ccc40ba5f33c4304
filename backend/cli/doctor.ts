/**
 * `switchyard doctor --canary ACCOUNT:PERMISSION_SET [...]`: the self-check an admin runs with their own
 * AWS credentials after deploying (backend/broker/self-check.ts does the work). Exit 0 when nothing failed
 * (steps this place cannot prove say so), 1 when a step failed, 2 for a wrong command line or configuration.
 */
import { parseArgs } from 'node:util';
import { ACCOUNT_ID_PATTERN } from '../../shared/api/entitlements.ts';
import { MAX_SESSION_SECONDS, MIN_REQUESTED_SESSION_SECONDS } from '../../shared/iam/limits.ts';
import { assembleBrokerSteps } from '../assemble/api.ts';
import type { BrokerSteps, BrokerTarget } from '../broker/console-broker.ts';
import { selfCheck, type SelfCheckStep } from '../broker/self-check.ts';
import { doctorConfig } from '../config/config.ts';
import { asUsageError, EXIT_FAILED, EXIT_OK, UsageError, type CliIo, type Command } from './command.ts';
import { orUsage } from './reconciler-from-env.ts';

const HELP = `What it proves, on the deployed account, with your own AWS credentials (cognito-identity:GetOpenIdTokenForDeveloperIdentity
on the identity pool; nothing else):
  1. a token can be minted for the canary target, and its claims (printed; never the token) carry the principal
     tag switchyard:target naming it: developer-identity principal tags reach the token;
  2. the canary role accepts that token (AssumeRoleWithWebIdentity): the role and its trust policy are in place,
     and the identity pool allows the basic (classic) flow Switchyard uses (AllowClassicFlow);
  3. the canary role refuses a token minted for another target (--other, default a made-up permission set in
     the canary's account) with AccessDenied: the trust policy binds each token to its one role;
  4. the federation endpoint gives a sign-in token (not printed) for web-identity credentials with
     SessionDuration 43200 (--session-duration): consoles can last 12 hours.
Each step is pass or fail, with AWS's error code when AWS refused.

What it cannot prove: anything against an emulator or a stand-in. Against moto, tokens are random strings and
STS ignores trust policies and session tags, and SWITCHYARD_FEDERATION_ENDPOINT points at the local stand-in:
steps 1 (the tag), 2, 3 and 4 then say "not provable here", never "pass". It does not open a console, and it
checks one canary role, not every role (the reconcile report says which roles are in place).

The canary: any (account, permission set) pair whose role the reconciler created, best a permission set
with no permissions assigned to an admin group in one account. If step 1's tag or step 3 fails, switch to the
alternative broker (docs/alternative-broker.md).

Configuration from the environment: AWS_REGION, SWITCHYARD_IDENTITY_POOL_ID, SWITCHYARD_DEVELOPER_PROVIDER,
optionally SWITCHYARD_FEDERATION_ENDPOINT and SWITCHYARD_AWS_ENDPOINT.
`;

export interface DoctorCommandOptions {
  /** Builds the broker's steps (default: from the environment, with the SDK's default credentials). */
  steps?: (io: CliIo) => BrokerSteps;
}

export function makeDoctor(options: DoctorCommandOptions = {}): Command {
  return {
    words: ['doctor'],
    usage: '--canary ACCOUNT:PERMISSION_SET [--other ACCOUNT:PERMISSION_SET] [--user ID] [--duration SECONDS] [--session-duration SECONDS] [--json]',
    summary: 'prove on the deployed account that tokens are bound to one role and consoles can last 12 hours (--help says how)',
    help: HELP,
    async run(args, io) {
      const values = parse(args);
      const canary = target('--canary', values.canary);
      const steps = orUsage(() => (options.steps ? options.steps(io) : assembleBrokerSteps(doctorConfig(io.env))));
      const report = await selfCheck(steps, {
        canary,
        ...(values.other ? { other: target('--other', values.other) } : {}),
        ...(values.user ? { userId: values.user } : {}),
        ...(values.duration ? { durationSeconds: seconds('--duration', values.duration) } : {}),
        ...(values['session-duration'] ? { sessionDurationSeconds: seconds('--session-duration', values['session-duration']) } : {}),
      });
      if (values.json) io.stdout(`${JSON.stringify({ broker: steps.description, steps: report }, null, 2)}\n`);
      else print(steps, report, io);
      return report.some((step) => step.result === 'fail') ? EXIT_FAILED : EXIT_OK;
    },
  };
}

export const doctor = makeDoctor();

function parse(args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        canary: { type: 'string' },
        other: { type: 'string' },
        user: { type: 'string' },
        duration: { type: 'string' },
        'session-duration': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.canary) throw new UsageError('--canary ACCOUNT:PERMISSION_SET is required');
    return values;
  } catch (error) {
    throw asUsageError(error);
  }
}

function target(option: string, value: string | undefined): BrokerTarget {
  const [accountId = '', permissionSet = ''] = (value ?? '').split(':');
  if (!ACCOUNT_ID_PATTERN.test(accountId) || !/^[\w+=,.@-]{1,64}$/.test(permissionSet)) {
    throw new UsageError(`${option} must be ACCOUNT:PERMISSION_SET, such as 111111111111:SwitchyardCanary`);
  }
  return { accountId, permissionSet };
}

function seconds(option: string, value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= MIN_REQUESTED_SESSION_SECONDS && number <= MAX_SESSION_SECONDS)) {
    throw new UsageError(`${option} must be a whole number of seconds from ${MIN_REQUESTED_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}`);
  }
  return number;
}

function print(steps: BrokerSteps, report: SelfCheckStep[], io: CliIo): void {
  io.stdout(`switchyard doctor: ${steps.description}\n`);
  for (const step of report) {
    io.stdout(`  [${step.result}] ${step.step}\n      ${step.detail}${step.awsError ? ` (AWS error: ${step.awsError})` : ''}\n`);
    if (step.claims) io.stdout(`      token claims: ${JSON.stringify(step.claims)}\n`);
  }
  const count = (result: SelfCheckStep['result']) => report.filter((step) => step.result === result).length;
  io.stdout(`${count('pass')} passed, ${count('not provable here')} not provable here, ${count('fail')} failed, ${count('skipped')} skipped\n`);
}
