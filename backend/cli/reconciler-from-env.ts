/** What the policy commands share: the reconciler assembled from the environment, a configuration error as a usage error, printing a report. */
import { formatReport } from '../../shared/plan/format.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { printableJson } from '../../shared/printable.ts';
import { assemblePlanner, assembleReconciler } from '../assemble/reconciler.ts';
import { planConfig, reconcilerConfig } from '../config/config.ts';
import type { PlanDeps, ReconcileDeps } from '../reconcile/run.ts';
import { asUsageError, type CliIo } from './command.ts';

export interface ReconcileCommandOptions {
  /** Reconciler parts (default: assembled from the environment). */
  deps?: (io: CliIo) => ReconcileDeps;
}

/** The reconciler assembled from the environment (a bucket is required). */
export function reconcilerFromEnv(io: CliIo): ReconcileDeps {
  return assembleReconciler(reconcilerConfig(io.env), { logger: quietLogger });
}

/** A planner of local folders assembled from the environment (the bucket is optional). */
export function plannerFromEnv(io: CliIo): PlanDeps {
  return assemblePlanner(planConfig(io.env), { logger: quietLogger });
}

/** A configuration error is the command line's fault: a usage error with the message. */
export function orUsage<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw asUsageError(error);
  }
}

/** A reconcile report as `push` prints it: text, or JSON with --json. */
export function printReport(report: ReconcileReport, json: boolean, io: CliIo): void {
  io.stdout(json ? `${printableJson(report, 2)}\n` : `${formatReport(report)}\n`);
}

/** The CLI prints reports itself; the reconciler's structured logs would repeat them. */
const quietLogger = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined };
