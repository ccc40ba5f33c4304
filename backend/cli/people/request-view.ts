/**
 * How the elevation commands print requests: a table for `switchyard requests`, and a few lines about
 * one request after `request`, `approve`, `deny`, `revoke`, `cancel` or `extend`. Everything in a
 * request came from the server, so every piece of it is printed as harmless text.
 */
import type { Entitlement } from '../../../shared/api/entitlements.ts';
import type { RequestView } from '../../../shared/api/requests.ts';
import { describeSeconds } from '../../../shared/policy/duration.ts';
import { printable, printableJson } from '../../../shared/printable.ts';
import type { CliIo } from '../command.ts';
import { textTable } from './text-table.ts';

/** `2026-06-01 14:05Z`: to the minute, in UTC, saying so. */
export function shortTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : printable(iso);
}

/** The moment that matters in the request's state: when a pending one expires, when a grant ends, when it was closed. */
function untilOf(request: RequestView): string {
  if (request.state === 'pending') return `expires ${shortTime(request.pendingExpiresAt)}`;
  if (request.state === 'active' && request.endsAt) return `ends ${shortTime(request.endsAt)}`;
  if (request.closed) return shortTime(request.closed.at);
  if (request.state === 'ended' && request.endsAt) return shortTime(request.endsAt);
  if (request.state === 'expired') return shortTime(request.pendingExpiresAt);
  return '';
}

export function requestsTable(requests: readonly RequestView[], empty: string): string {
  if (requests.length === 0) return `${empty}\n`;
  const rows = requests.map((r) => [
    printable(r.id),
    printable(r.state),
    printable(r.accountName),
    printable(r.permissionSet),
    printable(r.requester.displayName),
    describeSeconds(r.durationSeconds),
    untilOf(r),
    printable(r.justification ?? ''),
  ]);
  return textTable(['ID', 'STATE', 'ACCOUNT', 'PERMISSION SET', 'REQUESTER', 'DURATION', 'WHEN', 'JUSTIFICATION'], rows);
}

/** A few lines about one request: what it is for, who asked and why, and where it stands. */
export function requestSummary(request: RequestView): string {
  const lines = [
    `request ${printable(request.id)}: ${printable(request.state)}`,
    `  ${printable(request.accountName)} (${printable(request.accountId)}) / ${printable(request.permissionSet)} for ${describeSeconds(request.durationSeconds)}, asked by ${printable(request.requester.displayName)}`,
  ];
  if (request.justification) lines.push(`  justification: ${printable(request.justification)}`);
  for (const approval of request.approvals)
    lines.push(
      `  approved by ${printable(approval.by.displayName)} (${printable(approval.group)})${approval.reason ? `: ${printable(approval.reason)}` : ''}`,
    );
  for (const extension of request.extensions)
    lines.push(
      `  extended by ${describeSeconds(extension.seconds)} by ${printable(extension.by.displayName)}${extension.justification ? `: ${printable(extension.justification)}` : ''}`,
    );
  if (request.state === 'pending')
    lines.push(`  waits for ${request.approvalsNeeded - request.approvals.length} more approval(s); expires ${shortTime(request.pendingExpiresAt)}`);
  if (request.state === 'active' && request.endsAt) lines.push(`  open until ${shortTime(request.endsAt)}`);
  if (request.closed)
    lines.push(
      `  ${printable(request.state)} ${shortTime(request.closed.at)}${request.closed.by ? ` by ${printable(request.closed.by.displayName)}` : ''}${request.closed.reason ? `: ${printable(request.closed.reason)}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

/** One request on stdout: the API's object with --json, else a few lines for a person. */
export function printRequest(io: CliIo, request: RequestView, json: boolean): void {
  io.stdout(json ? `${printableJson(request, 2)}\n` : requestSummary(request));
}

/** What `switchyard list` says of an eligible pair: on request, or the person's pending request or grant of it. */
export function eligibilityMark(entitlement: Entitlement): string {
  if (!entitlement.eligible) return '';
  const open = entitlement.openRequest;
  if (!open) return 'on request (switchyard request)';
  return open.state === 'active' ? `granted until ${shortTime(open.until)} (${printable(open.id)})` : `requested, pending (${printable(open.id)})`;
}
