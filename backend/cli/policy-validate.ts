/**
 * `switchyard policy validate DIR [--json] [--discover]`: checks a policy folder offline and prints
 * one line per problem, `file:line:column: error|warning: message` (file relative to DIR). ARNs and
 * regions are checked against the partition of the deployment's region (AWS_REGION, as everywhere).
 * Exit 0 when valid (warnings allowed), 1 when any error, 2 for a wrong command line, configuration
 * or unreadable folder.
 */
import { assembleAccountDiscovery } from '../assemble/reconciler.ts';
import { awsConfig } from '../config/config.ts';
import { discoveryRequested, loadPolicy, type LoadPolicyResult } from '../../shared/policy/load-policy.ts';
import type { Account } from '../../shared/policy/model.ts';
import { formatProblem } from '../../shared/policy/problem.ts';
import { printable, printableJson } from '../../shared/printable.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseDirArgs, type CliIo, type Command } from './command.ts';
import { orUsage } from './plan.ts';
import { readPolicyFolder } from './read-policy-folder.ts';
import { errorText } from '../../shared/error-text.ts';
import type { Partition } from '../../shared/console/partitions.ts';

export interface ValidateOptions {
  /** Account discovery for --discover (default: AWS Organizations with the environment's settings). */
  discover?: (io: CliIo) => Promise<Account[]>;
}

export function makePolicyValidate(options: ValidateOptions = {}): Command {
  return {
    words: ['policy', 'validate'],
    usage: 'DIR [--json] [--discover]',
    summary: 'check the policy files in DIR; --discover reads the accounts from AWS Organizations',
    help:
      'ARNs and regions are checked against the partition of AWS_REGION (unset: us-east-1, so aws): set it to the deployment region.\n' +
      'A permission set with cli: false is console-only: people open it in the console, and POST /credentials (switchyard credentials,\n' +
      "the web page's credentials panel) refuses it. The summary counts them.",
    async run(args, io) {
      const { values, dir } = parseDirArgs(args, { discover: { type: 'boolean' } });
      const { partition } = orUsage(() => awsConfig(io.env));
      const files = await readPolicyFolder(dir, io);
      if (!files) return EXIT_USAGE;

      let discovered: Account[] | undefined;
      if (values.discover) {
        if (!discoveryRequested(files)) {
          io.stderr('note: settings do not set discoverAccounts: true, so --discover changes nothing\n');
        } else {
          // A bad configuration is the command line's fault (exit 2, every bad variable named), not discovery's.
          const discover = options.discover ?? discoverFromOrganizations(io);
          try {
            discovered = await discover(io);
          } catch (error) {
            io.stderr(`${printable(`cannot discover accounts from AWS Organizations: ${errorText(error)}`)}\n`);
            return EXIT_USAGE;
          }
        }
      }

      const result = loadPolicy(files, { discoveredAccounts: discovered, partition });
      const valid = !result.problems.some((problem) => problem.severity === 'error');
      if (values.json) io.stdout(`${printableJson(jsonReport(result, valid, partition), 2)}\n`);
      else {
        for (const problem of result.problems) io.stdout(`${formatProblem(problem)}\n`);
        const regionUnset = !io.env.AWS_REGION && !io.env.AWS_DEFAULT_REGION;
        // A folder of another partition fails here with many errors: say which partition was assumed, and why.
        const assumed = !valid && regionUnset ? ` (checked for partition ${partition}: AWS_REGION is not set)` : '';
        io.stderr(`${summaryLine(result, valid)}${assumed}\n`);
      }
      return valid ? EXIT_OK : EXIT_FAILED;
    },
  };
}

export const policyValidate = makePolicyValidate();

function discoverFromOrganizations(io: CliIo): () => Promise<Account[]> {
  return assembleAccountDiscovery(orUsage(() => awsConfig(io.env)));
}

function summaryLine(result: LoadPolicyResult, valid: boolean): string {
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  if (!valid) return `policy is invalid: ${counted(errors, 'error')}, ${counted(warnings, 'warning')}`;
  const warned = warnings > 0 ? ` (${counted(warnings, 'warning')})` : '';
  if (!result.policy) return `policy files are valid${warned}; accounts come from AWS Organizations (add --discover to check selectors against them)`;
  const { accounts, permissionSets, assignments } = result.policy;
  const consoleOnly = permissionSets.filter((set) => set.consoleOnly).length;
  const sets = `${counted(permissionSets.length, 'permission set')}${consoleOnly > 0 ? ` (${consoleOnly} console-only: cli: false)` : ''}`;
  return `policy is valid: ${counted(accounts.length, 'account')}, ${sets}, ${counted(assignments.length, 'assignment')}${warned}`;
}

function jsonReport(result: LoadPolicyResult, valid: boolean, partition: Partition) {
  return {
    valid,
    partition,
    problems: result.problems,
    needsDiscovery: result.needsDiscovery ?? false,
    counts: result.policy
      ? {
          accounts: result.policy.accounts.length,
          permissionSets: result.policy.permissionSets.length,
          consoleOnlyPermissionSets: result.policy.permissionSets.filter((set) => set.consoleOnly).length,
          assignments: result.policy.assignments.length,
        }
      : null,
  };
}
