/**
 * `switchyard policy push DIR [--json] [--wait SECONDS] [--reconcile]`: checks DIR, then makes the
 * policy bucket hold exactly its files (uploads new and changed ones, deletes removed ones; an
 * invalid folder uploads nothing). The bucket's Lambda then reconciles; push waits for its report
 * (default up to 300 s) and prints it. --reconcile runs the reconcile here instead (local stack,
 * or no Lambda deployed). Exit 0 when applied, 1 when invalid, refused, partial or not reported
 * in time, 2 for a wrong command line.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { trustPolicyLength } from '../../shared/plan/trust-policy.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { loadPolicy } from '../../shared/policy/load-policy.ts';
import { formatProblem } from '../../shared/policy/problem.ts';
import { createS3Client } from '../aws/clients.ts';
import { controlKey, syncPolicyFiles } from '../policy/s3-policy-source.ts';
import { REPORT_NAME, runReconcile, type ReconcileDeps } from '../reconcile/run.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, parseDirArgs, type Command } from './command.ts';
import { depsOrUsage, printReport, type ReconcileCommandOptions } from './plan.ts';
import { readPolicyFolder } from './read-policy-folder.ts';

export function makePolicyPush(options: ReconcileCommandOptions & { pollMs?: number } = {}): Command {
  return {
    words: ['policy', 'push'],
    usage: 'DIR [--json] [--wait SECONDS] [--reconcile]',
    summary: 'upload DIR to the policy bucket (removing files no longer in DIR) and print the reconcile result',
    async run(args, io) {
      const { values, dir } = parseDirArgs(args, { wait: { type: 'string' }, reconcile: { type: 'boolean' } });
      const waitSeconds = values.wait === undefined ? 300 : Number(values.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait must be a number of seconds, got "${values.wait}"`);
      const files = await readPolicyFolder(dir, io);
      if (!files) return EXIT_USAGE;
      const deps = depsOrUsage(options, io, true);

      // Offline check first (accounts from Organizations are checked by the reconcile itself).
      const loaded = loadPolicy(files, { trustPolicyLength: (set) => trustPolicyLength({ identityPoolId: deps.identityPoolId, accountId: '000000000000', permissionSet: set.name }) });
      const errors = loaded.problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0) {
        for (const problem of loaded.problems) io.stdout(`${formatProblem(problem)}\n`);
        io.stderr(`policy is invalid (${errors.length} errors): nothing uploaded\n`);
        return EXIT_FAILED;
      }

      const s3 = createS3Client(deps.settings);
      const pushedAt = Date.now();
      const sync = await syncPolicyFiles({ s3, bucket: deps.bucket, prefix: deps.prefix }, files);
      io.stderr(`uploaded ${sync.uploaded.length}, deleted ${sync.deleted.length}, unchanged ${sync.unchanged.length} files in s3://${deps.bucket}/${deps.prefix ?? ''}\n`);

      let report: ReconcileReport | undefined;
      if (values.reconcile) report = await runReconcile({ ...deps, lockWaitMs: waitSeconds * 1000 });
      else if (sync.uploaded.length + sync.deleted.length === 0) {
        io.stderr('no file changed, so no reconcile was triggered; the last report follows\n');
        report = await readReport(s3, deps);
      } else {
        report = await waitForReport(s3, deps, pushedAt, waitSeconds * 1000, options.pollMs ?? 2000);
        if (!report) {
          io.stderr(`no reconcile report within ${waitSeconds} s; it will appear in s3://${deps.bucket}/${controlKey(deps, REPORT_NAME)}\n`);
          return EXIT_FAILED;
        }
      }
      if (!report) return EXIT_OK;
      printReport(report, values.json === true, io);
      return report.status === 'applied' ? EXIT_OK : EXIT_FAILED;
    },
  };
}

export const policyPush = makePolicyPush();

async function waitForReport(s3: S3Client, deps: ReconcileDeps, since: number, timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await readReport(s3, deps);
    // A run that started after the push read the pushed files.
    if (report && Date.parse(report.startedAt) >= since) return report;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}

async function readReport(s3: S3Client, deps: ReconcileDeps): Promise<ReconcileReport | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: controlKey(deps, REPORT_NAME) }));
    return JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as ReconcileReport;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
