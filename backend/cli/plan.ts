/**
 * `switchyard policy plan DIR [--json]`: what pushing DIR would change in every member account
 * (create / update which fields / delete), read from the accounts' real state; writes nothing.
 * Exit 0 when the plan is complete, 1 when the policy is invalid, the deletion guard would refuse,
 * or an account could not be read; 2 for a wrong command line.
 * Needs SWITCHYARD_IDENTITY_POOL_ID and SWITCHYARD_DEVELOPER_PROVIDER (trust policies name them) and AWS credentials that may assume
 * the access role in the member accounts (docs/configuration.md lists every variable).
 */
import { formatReport } from '../../shared/plan/format.ts';
import { printableJson } from '../../shared/printable.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { assemblePlanner, assembleReconciler } from '../assemble/reconciler.ts';
import { planConfig, reconcilerConfig } from '../config/config.ts';
import { planReconcile, type PlanDeps, type ReconcileDeps } from '../reconcile/run.ts';
import { asUsageError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseDirArgs, type CliIo, type Command } from './command.ts';
import { readPolicyFolder } from './read-policy-folder.ts';

export interface ReconcileCommandOptions {
  /** Reconciler parts (default: assembled from the environment). */
  deps?: (io: CliIo) => ReconcileDeps;
}

export function makePolicyPlan(options: ReconcileCommandOptions = {}): Command {
  return {
    words: ['policy', 'plan'],
    usage: 'DIR [--json]',
    summary: 'show what pushing DIR would create, update and delete in each member account',
    async run(args, io) {
      const { values, dir } = parseDirArgs(args, {});
      const files = await readPolicyFolder(dir, io);
      if (!files) return EXIT_USAGE;
      const deps = orUsage(() => (options.deps ? options.deps(io) : plannerFromEnv(io)));
      const report = await planReconcile(deps, files);
      printReport(report, values.json === true, io);
      return planSucceeded(report) ? EXIT_OK : EXIT_FAILED;
    },
  };
}

export const policyPlan = makePolicyPlan();

export function planSucceeded(report: ReconcileReport): boolean {
  return report.status === 'planned' && report.deletionGuard?.allowed !== false && report.accounts.every((a) => a.error === undefined);
}

export function printReport(report: ReconcileReport, json: boolean, io: CliIo): void {
  io.stdout(json ? `${printableJson(report, 2)}\n` : `${formatReport(report)}\n`);
}

/** The reconciler assembled from the environment (a bucket is required). */
export function reconcilerFromEnv(io: CliIo): ReconcileDeps {
  return assembleReconciler(reconcilerConfig(io.env), { logger: quietLogger });
}

function plannerFromEnv(io: CliIo): PlanDeps {
  return assemblePlanner(planConfig(io.env), { logger: quietLogger });
}

/** A configuration error is the command line's fault: exit 2 with the message. */
export function orUsage<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw asUsageError(error);
  }
}

/** The CLI prints reports itself; the reconciler's structured logs would repeat them. */
const quietLogger = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined };
