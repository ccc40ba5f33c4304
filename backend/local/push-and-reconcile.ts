/** The admin's `policy push` followed by the bucket event's reconcile run, for the local stack. */
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { createS3Client, type AwsSettings } from '../aws/clients.ts';
import type { AppLogger } from '../logging.ts';
import { readPolicyDir } from '../policy/policy-dir.ts';
import { syncPolicyFiles } from '../policy/s3-policy-source.ts';
import { runReconcile } from '../reconcile/run.ts';

export interface LocalReconcileResult {
  report: ReconcileReport;
  /** One line for people, e.g. "7 files; 12 roles created, 0 updated, 0 deleted in 4 accounts". */
  summary: string;
}

export async function pushAndReconcile(options: {
  settings: AwsSettings;
  bucket: string;
  identityPoolId: string;
  policyDir: string;
  logger: AppLogger;
}): Promise<LocalReconcileResult> {
  const files = await readPolicyDir(options.policyDir);
  await syncPolicyFiles({ s3: createS3Client(options.settings), bucket: options.bucket }, files);
  const report = await runReconcile({
    settings: options.settings,
    bucket: options.bucket,
    identityPoolId: options.identityPoolId,
    logger: options.logger,
  });
  if (report.status !== 'applied') {
    const problems = report.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`);
    const failures = report.accounts.flatMap((a) => [
      ...(a.error ? [`${a.accountName ?? a.accountId}: ${a.error}`] : []),
      ...a.failed.map((f) => `${a.accountName ?? a.accountId}: ${f.role}: ${f.reason}`),
      ...a.conflicts.map((c) => `${a.accountName ?? a.accountId}: ${JSON.stringify(c)}`),
    ]);
    throw new Error(`the policy in ${options.policyDir} did not apply (${report.status}):\n${[...problems, ...failures].join('\n')}`);
  }
  const { accounts, created, updated, deleted } = report.summary;
  return { report, summary: `${files.length} files; ${created} roles created, ${updated} updated, ${deleted} deleted in ${accounts} accounts` };
}
