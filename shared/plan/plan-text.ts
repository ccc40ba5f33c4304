/**
 * The plan for a terminal (`switchyard policy plan`): who gains and who loses access first, then each
 * permission set's role changes with old -> new values, each once with the accounts it happens in.
 * Every line is escaped (printable): names and documents come from files and from AWS.
 */
import { formatProblem } from '../policy/problem.ts';
import { printable } from '../printable.ts';
import type { FieldChange, GrantGroup, PersonChange, PlanDocument, RoleChangeGroup } from './plan-document.ts';
import type { StatementDiff } from './policy-diff.ts';
import {
  ACTION_WORDS,
  FIELD_NAMES,
  accountsText,
  comparedWithText,
  sessionLength,
  summaryLine,
  tagsText,
  usesAccountPlaceholder,
} from './plan-words.ts';

export interface PlanTextOptions {
  /** List every account of a change, one per line, instead of the first few. */
  verbose?: boolean;
}

export function planText(plan: PlanDocument, options: PlanTextOptions = {}): string {
  const verbose = options.verbose ?? false;
  const lines: string[] = [];
  for (const problem of plan.problems) lines.push(formatProblem(problem));
  for (const error of plan.errors) lines.push(`error: ${error}`);
  if (lines.length > 0) lines.push('');

  lines.push(`Who gains and who loses access (${comparedWithText(plan.access.comparedWith)}):`);
  const access = accessLines(plan, verbose);
  lines.push(...(access.length > 0 || plan.access.comparedWith === 'unknown' ? access : ['  nobody']), '');

  if (plan.roles.length > 0) {
    lines.push('Roles:');
    for (const role of plan.roles) lines.push(...roleLines(role, verbose));
    if (usesAccountPlaceholder(plan)) lines.push("  ({account} stands for each account's own id.)");
    lines.push('');
  }
  for (const conflict of plan.conflicts) lines.push(`! ${conflict.role} in ${accountsText([conflict.account], true)}: ${conflict.reason}`);
  for (const failed of plan.failedAccounts) lines.push(`x ${accountsText([failed.account], true)}: ${failed.error}`);
  if (plan.conflicts.length + plan.failedAccounts.length > 0) lines.push('');
  lines.push(summaryLine(plan));
  return lines.map(printable).join('\n');
}

function accessLines(plan: PlanDocument, verbose: boolean): string[] {
  const grant = (sign: string, verb: string) => (group: GrantGroup) =>
    `  ${sign} ${group.group} ${verb} ${group.permissionSet} in ${accountsText(group.accounts, verbose)}`;
  const person = (sign: string, verb: string) => (change: PersonChange) =>
    `    ${sign} ${change.id} (${change.displayName}) ${verb} ${change.permissionSet} in ${accountsText(change.accounts, verbose)}, through ${change.groups.join(', ')}`;
  const lines = [
    ...plan.access.added.map(grant('+', 'gains')),
    ...plan.access.removed.map(grant('-', 'loses')),
    ...plan.access.changed.map(grant('~', 'keeps, with changed permissions,')),
  ];
  const people = plan.access.people;
  if (people) {
    lines.push('  People (the groups resolved by the directory):');
    const found = [...people.gains.map(person('+', 'gains')), ...people.losses.map(person('-', 'loses'))];
    lines.push(...(found.length > 0 ? found : ['    nobody gains or loses access']));
  }
  return lines;
}

function roleLines(role: RoleChangeGroup, verbose: boolean): string[] {
  const { sign, verb } = ACTION_WORDS[role.action];
  const header = `  ${sign} ${role.role} (permission set ${role.permissionSet}): ${verb} in `;
  const lines =
    verbose && role.accounts.length > 1
      ? [`${header}${role.accounts.length.toLocaleString('en-US')} accounts:`, ...role.accounts.map((a) => `        ${accountsText([a], true)}`)]
      : [`${header}${accountsText(role.accounts, verbose)}`];
  if (role.action === 'delete') lines.push('      loses:');
  const indent = role.action === 'delete' ? '        ' : '      ';
  for (const field of role.changes) lines.push(...fieldLines(field, role.action).map((line) => `${indent}${line}`));
  return lines;
}

/** One field: "~ session length: 1 h → 4 h", or a block for documents. */
export function fieldLines(field: FieldChange, action: RoleChangeGroup['action']): string[] {
  const name = FIELD_NAMES[field.field];
  const sign = action === 'create' ? '+' : action === 'delete' ? '-' : '~';
  const fromTo = (from: string | undefined, to: string | undefined) =>
    action === 'create' ? (to ?? '') : action === 'delete' ? (from ?? '') : `${from ?? '(none)'} → ${to ?? '(none)'}`;
  switch (field.field) {
    case 'sessionDuration':
      return [
        `${sign} ${name}: ${fromTo(field.from === undefined ? undefined : sessionLength(field.from), field.to === undefined ? undefined : sessionLength(field.to))}`,
      ];
    case 'description':
      return [`${sign} ${name}: ${fromTo(quoted(field.from), quoted(field.to))}`];
    case 'permissionsBoundary':
      return [`${sign} ${name}: ${fromTo(field.from, field.to)}`];
    case 'managedPolicies':
      return [`${sign} ${name}:`, ...field.added.map((arn) => `    + ${arn}`), ...field.removed.map((arn) => `    - ${arn}`)];
    case 'tags':
      return [
        `${sign} ${name}:`,
        ...Object.entries(field.added).map(([key, value]) => `    + ${tagsText({ [key]: value })}`),
        ...field.changed.map((tag) => `    ~ ${tag.key}: ${tag.from} → ${tag.to}`),
        ...Object.entries(field.removed).map(([key, value]) => `    - ${tagsText({ [key]: value })}`),
      ];
    case 'instanceProfiles':
      return [`${sign} ${name} (the role is taken out of them):`, ...field.removed.map((profile) => `    - ${profile}`)];
    case 'trustPolicy':
      return [`${sign} ${name}:`, ...statementLines(field.statements)];
    case 'inlinePolicy': {
      const what = field.to === undefined && action === 'update' ? ' (removed)' : field.from === undefined && action === 'update' ? ' (added)' : '';
      return [`${sign} ${name} ${field.name}${what}:`, ...statementLines(field.statements)];
    }
  }
}

function statementLines(statements: readonly StatementDiff[]): string[] {
  const lines: string[] = [];
  for (const statement of statements) {
    const sign = statement.change === 'added' ? '+' : statement.change === 'removed' ? '-' : statement.change === 'changed' ? '~' : ' ';
    lines.push(
      `    ${sign} ${statement.label === 'document' ? 'document' : `statement "${statement.label}"`}${statement.change === 'unchanged' ? ' (unchanged)' : ''}`,
    );
    for (const line of statement.lines) lines.push(`      ${line.op} ${line.text}`);
  }
  return lines;
}

function quoted(text: string | undefined): string | undefined {
  return text === undefined ? undefined : JSON.stringify(text);
}
