/**
 * Human-readable rendering of a report, for `switchyard policy plan|push`. Every line is escaped
 * (see printable): account and role names, reasons and AWS messages cannot drive the terminal.
 */
import { formatProblem } from '../policy/problem.ts';
import { printable } from '../printable.ts';
import type { AccountReport, ReconcileReport } from './report.ts';

export function formatReport(report: ReconcileReport): string {
  const lines: string[] = [];
  const would = report.mode === 'plan';
  for (const problem of report.problems) lines.push(formatProblem(problem));
  if (report.status === 'deferred') lines.push('deferred: another run holds the lock and will run again on the latest files');
  if (report.status === 'batched')
    lines.push('batched: the accounts are reconciled in batches from the queue; the last batch writes the whole report');
  if (report.deletionGuard && !report.deletionGuard.allowed) lines.push(`refused: ${report.deletionGuard.reason}`);
  for (const account of report.accounts) {
    const body = accountLines(account, would);
    if (body.length === 0) continue;
    lines.push(`${account.accountId}${account.accountName ? ` (${account.accountName})` : ''}`, ...body.map((line) => `  ${line}`));
  }
  const s = report.summary;
  const verb = would ? 'would create' : 'created';
  lines.push(
    `${report.status}: ${verb} ${s.created}, ${would ? 'update' : 'updated'} ${s.updated}, ${would ? 'delete' : 'deleted'} ${s.deleted} roles` +
      ` in ${s.accounts} accounts; ${s.conflicts} conflicts, ${s.failedAccounts} failed accounts`,
  );
  return lines.map(printable).join('\n');
}

function accountLines(account: AccountReport, would: boolean): string[] {
  const lines: string[] = [];
  if (account.error !== undefined) lines.push(`failed: ${account.error}`);
  for (const role of account.created) lines.push(`+ ${role}${would ? '' : ' (created)'}`);
  for (const update of account.updated) lines.push(`~ ${update.role}: ${update.fields.join(', ')}`);
  for (const role of account.deleted) lines.push(`- ${role}${would ? '' : ' (deleted)'}`);
  for (const conflict of account.conflicts) lines.push(`! ${conflict.roleName}: ${conflict.reason}`);
  for (const failure of account.failed) lines.push(`x ${failure.role}: ${failure.reason}`);
  return lines;
}
