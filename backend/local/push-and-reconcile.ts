/** The admin's `policy push` followed by the bucket event's reconcile run, for the local stack. */
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { formatProblem } from '../../shared/policy/problem.ts';
import { readPolicyDir } from '../cli/policy-folder.ts';
import { pushPolicy } from '../push/push-policy.ts';
import { runReconcile, type ReconcileDeps } from '../reconcile/run.ts';

export interface LocalReconcileResult {
  report: ReconcileReport;
  /** One line for people, e.g. "7 files; 12 roles created, 0 updated, 0 deleted in 4 accounts". */
  summary: string;
}

export async function pushAndReconcile(deps: ReconcileDeps, policyDir: string): Promise<LocalReconcileResult> {
  const files = await readPolicyDir(policyDir);
  const { check } = await pushPolicy(deps, files, { committedBy: 'npm start' });
  if (!check.ok) throw new Error(`the policy in ${policyDir} was not pushed: ${check.reason}\n${check.problems.map(formatProblem).join('\n')}`);
  const report = await runReconcile(deps);
  if (report.status !== 'applied') {
    const failures = report.accounts.flatMap((a) => [
      ...(a.error ? [`${a.accountName ?? a.accountId}: ${a.error}`] : []),
      ...a.failed.map((f) => `${a.accountName ?? a.accountId}: ${f.role}: ${f.reason}`),
      ...a.conflicts.map((c) => `${a.accountName ?? a.accountId}: ${JSON.stringify(c)}`),
    ]);
    throw new Error(
      `the policy in ${policyDir} did not apply (${report.status}):\n${[...report.problems.map(formatProblem), ...failures].join('\n')}`,
    );
  }
  const { accounts, created, updated, deleted } = report.summary;
  return { report, summary: `${files.length} files; ${created} roles created, ${updated} updated, ${deleted} deleted in ${accounts} accounts` };
}
