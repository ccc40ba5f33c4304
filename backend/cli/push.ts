/**
 * `switchyard policy push DIR [--json] [--wait SECONDS] [--reconcile]`: checks DIR as the reconcile
 * would (validation, account discovery, the deletion guard against the last applied policy), then
 * uploads it as one new generation and commits it; a refused folder uploads nothing. The bucket's
 * Lambda then reconciles; push waits for the report of that generation (default up to 300 s) and
 * prints it. --reconcile runs the reconcile here instead (local stack, or no Lambda deployed).
 * --json prints the report as JSON, or, when there is none (refused, invalid, nothing changed, no
 * report in time), {pushed, reason, problems, ...} with the problem list of `policy validate --json`.
 * Exit 0 when applied, 1 when refused, invalid, partial or not reported in time, 2 for a wrong
 * command line.
 */
import type { ReconcileReport } from '../../shared/plan/report.ts';
import type { DeletionGuardVerdict } from '../../shared/plan/deletion-guard.ts';
import { formatProblem, type Problem } from '../../shared/policy/problem.ts';
import { printableJson } from '../../shared/printable.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { ConcurrentPush } from '../bucket/policy-bucket.ts';
import { pushPolicy } from '../push/push-policy.ts';
import { runReconcile } from '../reconcile/run.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, parseDirArgs, type Command } from './command.ts';
import { orUsage, printReport, reconcilerFromEnv, type ReconcileCommandOptions } from './reconciler-from-env.ts';
import { readPolicyFolder } from './read-policy-folder.ts';

export function makePolicyPush(options: ReconcileCommandOptions & { pollMs?: number } = {}): Command {
  return {
    words: ['policy', 'push'],
    usage: 'DIR [--json] [--wait SECONDS] [--reconcile]',
    summary: 'check DIR as the reconcile would, upload it as one generation, and print the reconcile result',
    async run(args, io) {
      const { values, dir } = parseDirArgs(args, { wait: { type: 'string' }, reconcile: { type: 'boolean' } });
      const waitSeconds = values.wait === undefined ? 300 : Number(values.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait must be a number of seconds, got "${values.wait}"`);
      const files = await readPolicyFolder(dir, io);
      if (!files) return EXIT_USAGE;
      const deps = orUsage(() => (options.deps ? options.deps(io) : reconcilerFromEnv(io)));

      const json = values.json === true;
      /** What a push that ends without a reconcile report says: JSON with --json (problems as validate --json lists them), else text. */
      const answer = (code: number, outcome: PushAnswer, text: string) => {
        if (json) io.stdout(`${printableJson(outcome, 2)}\n`);
        else io.stderr(`${text}\n`);
        return code;
      };

      let pushed;
      try {
        pushed = await pushPolicy(deps, files);
      } catch (error) {
        if (error instanceof ConcurrentPush) return answer(EXIT_FAILED, { pushed: false, reason: error.message, problems: [] }, error.message);
        throw error;
      }
      const { check, outcome } = pushed;
      if (!json) for (const problem of check.problems) io.stdout(`${formatProblem(problem)}\n`);
      if (!check.ok || !outcome) {
        const reason = check.ok ? 'not pushed' : check.reason;
        const guard = check.guard ? { deletionGuard: check.guard } : {};
        return answer(EXIT_FAILED, { pushed: false, reason, problems: check.problems, ...guard }, `${reason}: nothing uploaded`);
      }

      const bucket = deps.bucket;
      let report: ReconcileReport | undefined;
      if (!outcome.committed) {
        io.stderr(`no file changed since generation ${outcome.generation}: nothing pushed\n`);
        if (!values.reconcile) {
          report = await bucket.readReport();
          if (report) io.stderr('the last reconcile report follows\n');
        }
      } else {
        io.stderr(
          `pushed generation ${outcome.generation} to ${bucket.location}: ${outcome.added.length} added, ${outcome.changed.length} changed, ${outcome.removed.length} removed\n`,
        );
      }
      // From the admin's machine the run has no Lambda timeout to fit: one process, never batches on the queue.
      const { batching: _batching, ...inOneProcess } = deps;
      if (values.reconcile) report = await runReconcile({ ...inOneProcess, lockWaitMs: waitSeconds * 1000 });
      else if (outcome.committed) {
        report = await waitForReport(bucket, outcome.generation, waitSeconds * 1000, options.pollMs ?? 2000);
        if (!report) {
          const reason = `no reconcile report within ${waitSeconds} s; it will appear in ${bucket.store.description}/${bucket.layout.report}`;
          return answer(EXIT_FAILED, { pushed: true, generation: outcome.generation, reason, problems: check.problems }, reason);
        }
      }
      if (!report) {
        const reason = `no file changed since generation ${outcome.generation}, and no reconcile report yet`;
        if (json)
          io.stdout(
            `${printableJson({ pushed: false, generation: outcome.generation, reason, problems: check.problems } satisfies PushAnswer, 2)}\n`,
          );
        return EXIT_OK;
      }
      printReport(report, json, io);
      return report.status === 'applied' ? EXIT_OK : EXIT_FAILED;
    },
  };
}

export const policyPush = makePolicyPush();

/** `push --json` when it ends without a reconcile report to print (that is printed as it is). */
interface PushAnswer {
  pushed: boolean;
  generation?: string;
  reason: string;
  problems: Problem[];
  deletionGuard?: DeletionGuardVerdict;
}

/** The report of a run that read this generation or a later one (generation ids sort by time). */
async function waitForReport(bucket: PolicyBucket, generation: string, timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await bucket.readReport();
    if (report?.generation !== undefined && report.generation >= generation && report.status !== 'deferred') return report;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
