/**
 * A policy document's change as a reviewer reads it: statement by statement, each shown as JSON with
 * its changed lines marked. Statements are paired by Sid, then by being equal, then in order; a pair
 * that IAM would treat as equal (policy-document.ts) is "unchanged". Each statement is shown in one
 * stable form — keys in IAM's usual order, the values of Action, Resource and principals as sorted
 * lists — so a statement only reordered or respelled shows no change, and a widened one shows the
 * lines it gained.
 */
import { diffArrays } from 'diff';
import { normalizePolicyDocument, type PolicyDocument } from '../iam/policy-document.ts';

export interface DiffLine {
  /** "+" added, "-" removed, " " unchanged. */
  op: '+' | '-' | ' ';
  text: string;
}

export interface StatementDiff {
  /** The statement's Sid, else its place ("statement 2"); "document" for the keys outside Statement (Version, Id). */
  label: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The statement as JSON, every line marked; empty when unchanged. */
  lines: DiffLine[];
}

type Statement = Record<string, unknown>;

export function policyDiff(from: PolicyDocument | undefined, to: PolicyDocument | undefined): StatementDiff[] {
  const diffs: StatementDiff[] = [];
  const outside = documentKeys(from, to);
  if (outside) diffs.push(outside);
  const before = statementsOf(from);
  const after = statementsOf(to);
  for (const { old, now, index } of pairStatements(before, after)) {
    const label = labelOf(now ?? old, index);
    if (old && now) {
      const same = canonical(old) === canonical(now);
      diffs.push({ label, change: same ? 'unchanged' : 'changed', lines: same ? [] : lineDiff(show(old), show(now)) });
    } else if (now) diffs.push({ label, change: 'added', lines: show(now).map((text) => ({ op: '+', text })) });
    else if (old) diffs.push({ label, change: 'removed', lines: show(old).map((text) => ({ op: '-', text })) });
  }
  return diffs;
}

/** True when at least one statement (or the document's own keys) changed. */
export function hasChanges(diffs: readonly StatementDiff[]): boolean {
  return diffs.some((diff) => diff.change !== 'unchanged');
}

function statementsOf(document: PolicyDocument | undefined): Statement[] {
  const statements = document?.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.map((statement) => (isObject(statement) ? statement : { Statement: statement }));
}

type Paired = { old?: Statement; now?: Statement; index: number };

/** Pairs by Sid, then equal statements, then the rest in order; the result follows the new document's order, removals last. */
function pairStatements(before: Statement[], after: Statement[]): Paired[] {
  const oldOf = new Map<number, number>();
  const taken = new Set<number>();
  const pair = (matches: (old: Statement, now: Statement) => boolean) => {
    after.forEach((now, newIndex) => {
      if (oldOf.has(newIndex)) return;
      const oldIndex = before.findIndex((old, index) => !taken.has(index) && matches(old, now));
      if (oldIndex >= 0) {
        oldOf.set(newIndex, oldIndex);
        taken.add(oldIndex);
      }
    });
  };
  pair((old, now) => typeof now.Sid === 'string' && now.Sid !== '' && old.Sid === now.Sid);
  pair((old, now) => canonical(old) === canonical(now));
  // What is left pairs in order, but never two statements whose Sids say they are different ones.
  pair((old, now) => !(typeof old.Sid === 'string' && old.Sid !== '' && typeof now.Sid === 'string' && now.Sid !== ''));
  const paired: Paired[] = after.map((now, index) => {
    const oldIndex = oldOf.get(index);
    return { now, index, ...(oldIndex === undefined ? {} : { old: before[oldIndex] }) };
  });
  before.forEach((old, index) => {
    if (!taken.has(index)) paired.push({ old, index });
  });
  return paired;
}

function labelOf(statement: Statement | undefined, index: number): string {
  const sid = statement?.Sid;
  return typeof sid === 'string' && sid !== '' ? sid : `statement ${index + 1}`;
}

function documentKeys(from: PolicyDocument | undefined, to: PolicyDocument | undefined): StatementDiff | undefined {
  if (!from || !to) return undefined;
  const strip = (document: PolicyDocument) => Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'Statement'));
  const [old, now] = [strip(from), strip(to)];
  if (JSON.stringify(sortedObject(old)) === JSON.stringify(sortedObject(now))) return undefined;
  return { label: 'document', change: 'changed', lines: lineDiff(jsonLines(sortedObject(old)), jsonLines(sortedObject(now))) };
}

function canonical(statement: Statement): string {
  return JSON.stringify(normalizePolicyDocument({ Statement: [statement] }));
}

/** Lines of both, each marked; a line that differs only by its trailing comma counts as the same line. */
function lineDiff(before: string[], after: string[]): DiffLine[] {
  const lines: DiffLine[] = [];
  const comparator = (a: string, b: string) => a.replace(/,$/, '') === b.replace(/,$/, '');
  for (const part of diffArrays(before, after, { comparator })) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value) lines.push({ op, text });
  }
  return lines;
}

/** IAM's usual order of a statement's keys; any others follow, sorted. */
const KEY_ORDER = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const SET_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function show(statement: Statement): string[] {
  const keys = Object.keys(statement).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = Object.fromEntries(keys.map((key) => [key, showValue(key, statement[key])]));
  return jsonLines(shown);
}

function rank(key: string): number {
  const index = KEY_ORDER.indexOf(key);
  return index < 0 ? KEY_ORDER.length : index;
}

function showValue(key: string, value: unknown): unknown {
  if (SET_KEYS.has(key)) return stringList(value);
  if ((key === 'Principal' || key === 'NotPrincipal') && isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((type) => [type, stringList(value[type])]),
    );
  }
  if (key === 'Condition' && isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((operator) => {
          const entries = value[operator];
          if (!isObject(entries)) return [operator, entries];
          return [
            operator,
            Object.fromEntries(
              Object.keys(entries)
                .sort()
                .map((conditionKey) => [conditionKey, stringList(entries[conditionKey])]),
            ),
          ];
        }),
    );
  }
  return value;
}

/** A string or a list of strings as a sorted list without repeats; anything else as it is. */
function stringList(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) return value;
  return [...new Set(list as string[])].sort();
}

function sortedObject(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );
}

function jsonLines(value: unknown): string[] {
  return JSON.stringify(value, null, 2).split('\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
