/**
 * The plan of a change to every permission set used in 2,000 accounts: building the plan document
 * from the accounts' plans (grouping equal changes, the statement diffs, who gains and loses access)
 * and rendering it as text, markdown and JSON, in this process (median of 5). `npm run bench -- plan`.
 * The accounts' plans are computed by the reconcile's own diff from roles as the reconciler made
 * them; reading 2,000 accounts from AWS is the reconcile benchmark's subject, not this one's.
 */
import { buildPlanDocument } from '../../shared/plan/build-plan-document.ts';
import { desiredRole } from '../../shared/plan/desired-roles.ts';
import { planAccount } from '../../shared/plan/diff.ts';
import { planMarkdown } from '../../shared/plan/plan-markdown.ts';
import { planText } from '../../shared/plan/plan-text.ts';
import type { PermissionSet, Policy } from '../../shared/policy/model.ts';
import { summarize } from '../../shared/plan/report.ts';
import { actualFrom, PROVIDER } from '../fixtures/plan.ts';
import { median } from './support/figures.ts';

const RUNS = 5;
const ACCOUNTS = 2_000;
const SETS = 10;
const TRUST = { identityPoolId: 'eu-west-1:0f0e0d0c-0b0a-4908-8706-050403020100', developerProvider: PROVIDER };

function timed<T>(label: string, work: () => T): { ms: number; result: T } {
  const samples: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  const ms = Number(median(samples).toFixed(1));
  console.log(`${label.padEnd(60)} ${String(ms).padStart(8)} ms (median of ${RUNS})`);
  return { ms, result: result as T };
}

function permissionSet(index: number, actions: string[]): PermissionSet {
  return {
    name: `Set${index}`,
    description: `Permission set ${index}`,
    sessionDurationSeconds: 3600,
    managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Artifacts', Effect: 'Allow', Action: actions, Resource: `arn:aws:s3:::artifacts-${index}/*` },
        { Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ],
    },
    tags: { team: `team-${index}` },
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ id: String(100_000_000_000 + i), name: `account-${i}`, tags: {}, regions: [] }));
  const before = Array.from({ length: SETS }, (_, i) => permissionSet(i, ['s3:GetObject']));
  const after = Array.from({ length: SETS }, (_, i) => permissionSet(i, ['s3:GetObject', 's3:PutObject']));
  const assignments = after.map((set) => ({ group: `${set.name}-users`, permissionSet: set.name, accounts: { all: true } }));
  const applied: Policy = { accounts, permissionSets: before, assignments, eligibility: [] };
  const policy: Policy = {
    ...applied,
    permissionSets: after,
    assignments: [...assignments, { group: 'Contractors', permissionSet: 'Set0', accounts: { ids: [accounts[0]!.id] } }],
  };

  const plans = accounts.map((account) =>
    planAccount(
      account.id,
      after.map((set) => desiredRole(account.id, set, TRUST)),
      before.map((set) => actualFrom(desiredRole(account.id, set, TRUST))),
    ),
  );
  const report = {
    version: 1 as const,
    runId: 'bench',
    mode: 'plan' as const,
    status: 'planned' as const,
    startedAt: '',
    finishedAt: '',
    problems: [],
    accounts: [],
    summary: { ...summarize([]), accounts: ACCOUNTS },
  };

  const built = timed(`plan document: ${ACCOUNTS} accounts x ${SETS} permission sets, all widened`, () =>
    buildPlanDocument({ report, plans, policy, applied: { kind: 'applied', policy: applied } }),
  );
  const plan = built.result;
  if (plan.roles.length !== SETS) throw new Error(`expected ${SETS} changes shown once each, got ${plan.roles.length}`);
  const text = timed('render text', () => planText(plan));
  const verbose = timed('render text --verbose', () => planText(plan, { verbose: true }));
  const markdown = timed('render markdown', () => planMarkdown(plan));
  const json = timed('render JSON', () => JSON.stringify(plan));
  const figures = {
    runs: RUNS,
    accounts: ACCOUNTS,
    permissionSets: SETS,
    changesShown: plan.roles.length,
    buildMs: built.ms,
    textMs: text.ms,
    textLines: text.result.split('\n').length,
    verboseTextLines: verbose.result.split('\n').length,
    markdownMs: markdown.ms,
    markdownCharacters: markdown.result.length,
    jsonMs: json.ms,
    jsonBytes: json.result.length,
  };
  console.log(
    `text ${figures.textLines} lines (--verbose ${figures.verboseTextLines}), markdown ${figures.markdownCharacters} characters, JSON ${figures.jsonBytes} bytes`,
  );
  return figures;
}
