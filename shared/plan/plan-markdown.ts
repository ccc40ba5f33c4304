/**
 * The plan as a pull-request comment (`switchyard policy plan --format markdown`): the summary, who
 * gains and who loses access as tables, then one collapsed <details> per permission set with its old
 * -> new values and its policy documents as `diff` blocks.
 *
 * GitHub refuses a comment over 65,536 characters. The comment is filled in order — summary, access,
 * permission sets — and what does not fit is left out whole, with a last paragraph that says how much
 * and where the whole plan is (`detailsUrl`, e.g. the CI run whose log has the text plan).
 *
 * Every name, ARN and value comes from policy files or AWS, so none is written as markdown: names
 * are code spans (no emphasis, links or @mentions inside), HTML is escaped, and a fence is always
 * longer than any run of backticks inside it.
 */
import { printable } from '../printable.ts';
import type { AccountRef, GrantGroup, PersonChange, PlanDocument, RoleChangeGroup } from './plan-document.ts';
import { fieldLines } from './plan-text.ts';
import { ACCOUNTS_SHOWN, ACTION_WORDS, comparedWithText, counted, summaryLine, usesAccountPlaceholder } from './plan-words.ts';

/** GitHub's limit on an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The first line of every plan comment: a CI step finds its earlier comment by it, to update it. */
export const PLAN_COMMENT_MARKER = '<!-- switchyard-plan -->';

export interface PlanMarkdownOptions {
  verbose?: boolean;
  /** Where the whole plan can be read when the comment must leave some of it out. */
  detailsUrl?: string;
  /** Characters the comment may take (default: GitHub's limit). */
  limit?: number;
}

interface Block {
  text: string;
  /** What leaving it out leaves out, for the closing note; absent: the block is always kept. */
  dropped?: 'access' | 'permissionSet';
}

export function planMarkdown(plan: PlanDocument, options: PlanMarkdownOptions = {}): string {
  const verbose = options.verbose ?? false;
  const blocks: Block[] = [...headBlocks(plan), ...accessBlocks(plan, verbose), ...roleBlocks(plan, verbose)];
  if (usesAccountPlaceholder(plan)) blocks.push({ text: "_`{account}` stands for each account's own id._\n" });
  return fit(blocks, options.limit ?? GITHUB_COMMENT_LIMIT, options.detailsUrl);
}

function fit(blocks: Block[], limit: number, detailsUrl: string | undefined): string {
  const whole = blocks.map((block) => block.text).join('\n');
  if (whole.length <= limit) return whole;
  const left = { access: 0, permissionSet: 0 };
  const note = (): string => {
    const parts = [
      left.access > 0 ? counted(left.access, 'access row') : '',
      left.permissionSet > 0 ? counted(left.permissionSet, 'permission set') : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const where = detailsUrl ? `The whole plan: ${escapeUrl(detailsUrl)}` : 'Run `switchyard policy plan` for the whole plan.';
    return `\n---\n**This plan is longer than a pull-request comment may be (${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')} characters): ${parts || 'some of it'} left out here.** ${where}\n`;
  };
  const reserve = note().length + 200;
  const kept: string[] = [];
  let used = 0;
  let full = false;
  for (const block of blocks) {
    const size = block.text.length + 1;
    if (!block.dropped || (!full && used + size <= limit - reserve)) {
      kept.push(block.text);
      used += size;
    } else {
      full = true;
      left[block.dropped] += 1;
    }
  }
  return `${kept.join('\n')}${note()}`;
}

function headBlocks(plan: PlanDocument): Block[] {
  const lines = [PLAN_COMMENT_MARKER, '### Switchyard plan', '', `**${summaryLine(plan)}**`, ''];
  if (plan.errors.length > 0) {
    lines.push('> [!CAUTION]', '> The plan failed:', '', ...fenced(firstOf(plan.errors, 'errors')), '');
  }
  if (plan.conflicts.length > 0) {
    const conflicts = plan.conflicts.map((c) => `${c.role} in ${c.account.name ? `${c.account.name} (${c.account.id})` : c.account.id}: ${c.reason}`);
    lines.push(
      '<details><summary>Roles Switchyard may not touch (conflicts)</summary>',
      '',
      ...fenced(firstOf(conflicts, 'conflicts')),
      '</details>',
      '',
    );
  }
  const problems = plan.problems.slice(0, LISTED);
  if (problems.length > 0) {
    lines.push(
      '<details><summary>Problems in the policy files</summary>',
      '',
      ...fenced(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`)),
      '</details>',
      '',
    );
    if (plan.problems.length > problems.length)
      lines.push(`_and ${plan.problems.length - problems.length} more: run \`switchyard policy validate\`._`, '');
  }
  return [{ text: lines.join('\n') }];
}

/** Lines of a list shown in the head of the comment (errors, conflicts, problems), at most this many. */
const LISTED = 50;

function firstOf(lines: readonly string[], noun: string): string[] {
  return lines.length > LISTED
    ? [...lines.slice(0, LISTED), `... and ${lines.length - LISTED} more ${noun} (the text plan lists them all)`]
    : [...lines];
}

function accessBlocks(plan: PlanDocument, verbose: boolean): Block[] {
  const access = plan.access;
  const blocks: Block[] = [{ text: `#### Who gains and who loses access\n\n_${inline(comparedWithText(access.comparedWith))}._\n` }];
  const grants: [string, GrantGroup][] = [
    ...access.added.map((group): [string, GrantGroup] => ['**+** gains', group]),
    ...access.removed.map((group): [string, GrantGroup] => ['**−** loses', group]),
    ...access.changed.map((group): [string, GrantGroup] => ['**~** keeps, with changed permissions', group]),
  ];
  if (grants.length > 0) {
    blocks.push({ text: '| | group | permission set | accounts |\n|---|---|---|---|' });
    for (const [what, group] of grants) {
      blocks.push({
        text: `| ${what} | ${cell(group.group)} | ${cell(group.permissionSet)} | ${accountsCell(group.accounts, verbose)} |`,
        dropped: 'access',
      });
    }
    blocks.push({ text: '' });
  } else if (access.comparedWith !== 'unknown') blocks.push({ text: 'Nobody gains or loses access.\n' });

  if (access.people) {
    const people: [string, PersonChange][] = [
      ...access.people.gains.map((change): [string, PersonChange] => ['**+** gains', change]),
      ...access.people.losses.map((change): [string, PersonChange] => ['**−** loses', change]),
    ];
    blocks.push({ text: '**People** (the groups resolved by the directory)\n' });
    if (people.length === 0) blocks.push({ text: 'Nobody gains or loses access.\n' });
    else {
      blocks.push({ text: '| | person | permission set | accounts | through |\n|---|---|---|---|---|' });
      for (const [what, change] of people) {
        blocks.push({
          text: `| ${what} | ${cell(change.id)} ${cell(change.displayName)} | ${cell(change.permissionSet)} | ${accountsCell(change.accounts, verbose)} | ${change.groups.map(cell).join(', ')} |`,
          dropped: 'access',
        });
      }
      blocks.push({ text: '' });
    }
  }
  return blocks;
}

function roleBlocks(plan: PlanDocument, verbose: boolean): Block[] {
  if (plan.roles.length === 0) return [];
  const bySet = new Map<string, RoleChangeGroup[]>();
  for (const role of plan.roles) bySet.set(role.permissionSet, [...(bySet.get(role.permissionSet) ?? []), role]);
  const blocks: Block[] = [{ text: '#### Changes by permission set\n' }];
  for (const [permissionSet, roles] of bySet) {
    const summary = roles.map((role) => `${ACTION_WORDS[role.action].verb} in ${counted(role.accounts.length, 'account')}`).join('; ');
    const body = roles.flatMap((role) => roleSection(role, verbose));
    blocks.push({
      text: [`<details><summary><code>${html(printable(permissionSet))}</code>: ${html(summary)}</summary>`, '', ...body, '</details>', ''].join(
        '\n',
      ),
      dropped: 'permissionSet',
    });
  }
  return blocks;
}

function roleSection(role: RoleChangeGroup, verbose: boolean): string[] {
  const { sign, verb } = ACTION_WORDS[role.action];
  const lines = [`**${sign} ${verb}** ${code(role.role)} in ${accountsCell(role.accounts, verbose)}`, ''];
  if (role.action === 'delete') lines.push('Everything the role has is lost:', '');
  const details = role.changes.flatMap((field) => fieldLines(field, role.action));
  if (details.length > 0) lines.push(...fenced(details.map(signFirst), 'diff'), '');
  return lines;
}

/** GitHub colours a diff line by its first character: every line moves one column right, and an indented sign moves to the first. */
function signFirst(line: string): string {
  const match = /^(\s*)([+-]) (.*)$/.exec(line);
  return match ? `${match[2]}${match[1]}  ${match[3]}` : ` ${line}`;
}

function accountsCell(accounts: readonly AccountRef[], verbose: boolean): string {
  const label = (account: AccountRef) => (account.name ? `${cell(account.name)} (${account.id})` : account.id);
  const shown = verbose ? accounts : accounts.slice(0, ACCOUNTS_SHOWN);
  const more = accounts.length - shown.length;
  const list = shown.map(label).join(', ');
  if (accounts.length === 1) return list;
  return `${counted(accounts.length, 'account')}: ${list}${more > 0 ? `, and ${more.toLocaleString('en-US')} more` : ''}`;
}

/** A code span safe inside a table cell: no markdown, links or mentions inside; a pipe cannot end the cell. */
function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

function code(text: string): string {
  const safe = printable(text);
  const fence = '`'.repeat(longestRun(safe, '`') + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || safe === '' ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/** A fenced block (default: plain text); the fence is longer than any backtick run in the lines. */
function fenced(lines: readonly string[], language = 'text'): string[] {
  const safe = lines.map(printable);
  const fence = '`'.repeat(Math.max(3, ...safe.map((line) => longestRun(line, '`') + 1)));
  return [`${fence}${language}`, ...safe, fence];
}

/** Words of our own (no names in them) with HTML and markdown characters escaped. */
function inline(text: string): string {
  return html(printable(text)).replace(/[\\`*_{}[\]()#+!|~-]/g, (char) => `\\${char}`);
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function escapeUrl(url: string): string {
  return `<${printable(url).replace(/[<>\s]/g, encodeURIComponent)}>`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
