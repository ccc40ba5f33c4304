/**
 * Eligibility (eligibility.yaml, eligibility/*.yaml): the pairs a group may ask for, for how long, why,
 * and who approves. Checked here, with every rule `policy validate` states in docs/policy-files.md.
 */
import { MAX_INLINE_POLICY_CHARS } from '../iam/limits.ts';
import { policySize } from '../iam/policy-document.ts';
import { REVOCATION_ROOM_CHARS } from '../iam/revoked-sessions.ts';
import { checkedSelectors, indexInventory, unknownPermissionSet } from './assignments.ts';
import { describeSeconds, parseDuration } from './duration.ts';
import type { EligibilityEntry, EligibilityFile } from './file-schemas.ts';
import { groupMatches } from './group-names.ts';
import type { Account, ApprovalRule, Assignment, Eligibility, JustificationRule, PermissionSet } from './model.ts';
import type { Problem } from './problem.ts';
import { selectorMatcher } from './selectors.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';

export interface EligibilitySource {
  document: SourceDocument;
  data: EligibilityFile;
}

export interface EligibilityContext {
  accounts: readonly Account[];
  permissionSets: readonly PermissionSet[];
  definedPermissionSets: readonly string[];
  assignments: readonly Assignment[];
  /** Skip the checks that need the account inventory: it is not known (yet). */
  inventoryUnknown: boolean;
}

/** STS gives no session shorter than 15 minutes, so no grant may be shorter either. */
export const MIN_GRANT_SECONDS = 15 * 60;
/** The longest grant an entry may offer: a week. Longer is standing access, which belongs in assignments. */
export const MAX_GRANT_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRANT_SECONDS = 3600;
export const MIN_PENDING_SECONDS = 5 * 60;
export const DEFAULT_PENDING_SECONDS = 24 * 3600;
/** Longest justification a request may carry, in characters; also what a pattern is matched against at most. */
export const MAX_JUSTIFICATION_LENGTH = 500;

export function buildEligibility(
  sources: readonly EligibilitySource[],
  context: EligibilityContext,
): { eligibility: Eligibility[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const eligibility: Eligibility[] = [];
  const inventory = context.inventoryUnknown ? undefined : indexInventory(context.accounts);
  const permissionSets = new Map(context.permissionSets.map((set) => [set.name, set]));
  const located: { entry: Eligibility; document: SourceDocument; path: PathSegment[] }[] = [];

  for (const { document, data } of sources) {
    data.eligibility.forEach((item, index) => {
      const path: PathSegment[] = ['eligibility', index];
      const before = problems.length;
      const at = (field: PathSegment[], severity: 'error' | 'warning', message: string, part?: 'key' | 'value') =>
        problems.push(document.problem([...path, ...field], severity, message, part));
      const unknown = unknownPermissionSet(item.permissionSet, context.definedPermissionSets);
      if (unknown) at(['permissionSet'], 'error', unknown);
      const selectors = checkedSelectors(document, item.accounts, [...path, 'accounts'], inventory, problems);
      const rule = entryRule(item, permissionSets.get(item.permissionSet), at);
      const failed = problems.slice(before).some((problem) => problem.severity === 'error');
      if (failed || !rule) return;
      for (const accounts of selectors) {
        const entry: Eligibility = {
          group: item.group,
          permissionSet: item.permissionSet,
          accounts,
          ...rule,
          source: `${document.file} entry ${index + 1}`,
        };
        eligibility.push(entry);
        located.push({ entry, document, path });
      }
    });
  }
  if (inventory) problems.push(...overlapProblems(located, context));
  return { eligibility, problems };
}

type At = (field: PathSegment[], severity: 'error' | 'warning', message: string, part?: 'key' | 'value') => void;
type Rule = Omit<Eligibility, 'group' | 'permissionSet' | 'accounts' | 'source'>;

function entryRule(item: EligibilityEntry, permissionSet: PermissionSet | undefined, at: At): Rule | undefined {
  const span = (field: string, value: string | undefined, min: number, max: number, fallback: number): number | undefined => {
    if (value === undefined) return fallback;
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      at(field.split('.'), 'error', `${field} "${value}" is not an ISO 8601 duration such as PT2H or PT30M`);
      return undefined;
    }
    if (seconds < min || seconds > max) {
      at(
        field.split('.'),
        'error',
        `${field} is ${describeSeconds(seconds)}; it must be between ${describeSeconds(min)} and ${describeSeconds(max)}`,
      );
      return undefined;
    }
    return seconds;
  };

  const maxDurationSeconds = span('maxDuration', item.maxDuration, MIN_GRANT_SECONDS, MAX_GRANT_SECONDS, 0);
  const defaultDurationSeconds =
    maxDurationSeconds === undefined
      ? undefined
      : span('defaultDuration', item.defaultDuration, MIN_GRANT_SECONDS, maxDurationSeconds, Math.min(DEFAULT_GRANT_SECONDS, maxDurationSeconds));
  if (maxDurationSeconds !== undefined && permissionSet) {
    const session = permissionSet.sessionDurationSeconds;
    if (maxDurationSeconds > session && item.longerThanSession !== true) {
      at(
        ['maxDuration'],
        'error',
        `maxDuration is ${describeSeconds(maxDurationSeconds)}, longer than the session length of ${permissionSet.name} (${describeSeconds(session)}): ` +
          'a grant would outlast one console session, and the person would open the console again within it; ' +
          'say `longerThanSession: true` if that is what you mean, or shorten maxDuration',
      );
    } else if (maxDurationSeconds <= session && item.longerThanSession === true) {
      at(
        ['longerThanSession'],
        'warning',
        `longerThanSession is true, but maxDuration is not longer than the session length of ${permissionSet.name} (${describeSeconds(session)})`,
        'key',
      );
    }
  }
  if (permissionSet?.inlinePolicy !== undefined) {
    const size = policySize(permissionSet.inlinePolicy);
    const room = MAX_INLINE_POLICY_CHARS - REVOCATION_ROOM_CHARS;
    if (size > room) {
      at(
        ['permissionSet'],
        'error',
        `the inline policy of ${permissionSet.name} is ${size.toLocaleString('en-US')} bytes; an eligible permission set must keep it under ${room.toLocaleString('en-US')}, ` +
          `leaving ${REVOCATION_ROOM_CHARS.toLocaleString('en-US')} of the ${MAX_INLINE_POLICY_CHARS.toLocaleString('en-US')} characters IAM allows for the statements that deny a revoked grant's sessions`,
      );
    }
  }
  const pendingExpirySeconds = span('pendingExpiry', item.pendingExpiry, MIN_PENDING_SECONDS, MAX_GRANT_SECONDS, DEFAULT_PENDING_SECONDS);
  const extensionSeconds =
    item.extensions === undefined ? 0 : span('extensions.duration', item.extensions.duration, MIN_GRANT_SECONDS, MAX_GRANT_SECONDS, 0);
  const justification = justificationRule(item, at);
  const approval = approvalRule(item, at);
  if (
    maxDurationSeconds === undefined ||
    defaultDurationSeconds === undefined ||
    pendingExpirySeconds === undefined ||
    extensionSeconds === undefined ||
    !justification ||
    !approval
  ) {
    return undefined;
  }
  return {
    maxDurationSeconds,
    defaultDurationSeconds,
    justification,
    approval,
    pendingExpirySeconds,
    extensions: { count: item.extensions?.count ?? 0, durationSeconds: extensionSeconds },
  };
}

function justificationRule(item: EligibilityEntry, at: At): JustificationRule | undefined {
  const given = item.justification ?? {};
  const rule: JustificationRule = { required: given.required ?? true };
  if (given.pattern !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(given.pattern, 'u');
    } catch (error) {
      at(['justification', 'pattern'], 'error', `justification.pattern is not a valid regular expression (${(error as Error).message})`);
      return undefined;
    }
    if (given.example !== undefined && !pattern.test(given.example)) {
      at(['justification', 'example'], 'error', `justification.example "${given.example}" does not match justification.pattern`);
      return undefined;
    }
    rule.pattern = given.pattern;
  }
  if (given.example !== undefined) rule.example = given.example;
  return rule;
}

function approvalRule(item: EligibilityEntry, at: At): ApprovalRule | undefined {
  if (item.approval === 'none') return { kind: 'none' };
  const { groups } = item.approval;
  const count = item.approval.count ?? 1;
  const distinctGroups = item.approval.distinctGroups ?? false;
  let valid = true;
  groups.forEach((group, index) => {
    const earlier = groups.slice(0, index).find((other) => sameGroup(other, group));
    if (earlier !== undefined) {
      at(['approval', 'groups', index], 'error', `approver group "${group}" is listed twice (as "${earlier}")`);
      valid = false;
    }
  });
  if (groups.every((group) => sameGroup(group, item.group))) {
    at(
      ['approval', 'groups'],
      'error',
      `the only approver group is "${item.group}", the group that asks: a requester never approves their own request, ` +
        'so approvals could only ever come from within the requesting group itself (and from nobody when it has one member); name a separate approver group',
    );
    valid = false;
  }
  if (distinctGroups && count > groups.length) {
    at(
      ['approval', 'count'],
      'error',
      `count is ${count}, but with distinctGroups each approval must come from a different approver group and only ${groups.length} ${groups.length === 1 ? 'is' : 'are'} listed`,
    );
    valid = false;
  }
  return valid ? { kind: 'approvers', groups: [...groups], count, distinctGroups } : undefined;
}

/** Two groups as the policy writes them name the same group (a plain name and a DN whose CN it is, in either order). */
export function sameGroup(a: string, b: string): boolean {
  return groupMatches(a, [b]) || groupMatches(b, [a]);
}

/**
 * With the inventory known: the same group listed twice for one pair is an error (which rule would apply?);
 * an entry whose group already has the pair standing is a warning (it never applies to them).
 */
function overlapProblems(located: { entry: Eligibility; document: SourceDocument; path: PathSegment[] }[], context: EligibilityContext): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const seen = new Map<string, Eligibility>();
  for (const { entry, document, path } of located) {
    const matches = selectorMatcher(entry.accounts);
    for (const account of context.accounts.filter(matches)) {
      const key = `${entry.group.toLowerCase()}\u0000${entry.permissionSet}\u0000${account.id}`;
      const earlier = seen.get(key);
      if (earlier && earlier.source !== entry.source && !reported.has(`${entry.source}/dup`)) {
        reported.add(`${entry.source}/dup`);
        problems.push(
          document.problem(
            path,
            'error',
            `"${entry.group}" is already eligible for ${entry.permissionSet} in ${account.name} (${earlier.source}): one rule per group and pair`,
          ),
        );
      }
      if (!earlier) seen.set(key, entry);
      const standing = context.assignments.find(
        (assignment) =>
          assignment.permissionSet === entry.permissionSet &&
          sameGroup(assignment.group, entry.group) &&
          selectorMatcher(assignment.accounts)(account),
      );
      if (standing && !reported.has(`${entry.source}/standing`)) {
        reported.add(`${entry.source}/standing`);
        problems.push(
          document.problem(
            path,
            'warning',
            `"${entry.group}" already has ${entry.permissionSet} in ${account.name} standing (assignments): this entry never applies to them there`,
          ),
        );
      }
    }
  }
  return problems;
}
