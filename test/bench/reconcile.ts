/**
 * The reconciler at the scale the reconcile Lambda is sized for, against moto: 2,000 member accounts
 * x 10 permission sets (20,000 roles), concurrency 10.
 *   - seed: the first run creates every role (in this process, without added latency: moto's own
 *     speed), so the no-op runs below have 20,000 roles to read;
 *   - calls per account for a no-op run (goal: 1 AssumeRole + 1 GetAccountAuthorizationDetails +
 *     1 ListRoles; 2 calls with readRoleSettings: false), and exactly one write per account for a
 *     one-policy change;
 *   - the sizing figures: the no-op run of the bundled reconcile Lambda (the zip's index.mjs, run by
 *     plain Node in a child process as Lambda runs it) through a proxy that adds 40 ms to every AWS
 *     call, as a scheduled event; its wall time and its peak memory (the child's maxRSS from
 *     process.resourceUsage(), and its heap, sampled), and CPU time. moto runs in its own process, so
 *     it is not counted. Goals: under 2 minutes, under 512 MB.
 * Permission sets use inline policies and a boundary, not AWS-managed policies: moto only knows
 * those when it loads its whole managed-policy catalogue into every account (seconds per account),
 * so this moto runs without that catalogue.
 * `npm run bench -- reconcile` (RECONCILE_BENCH_ACCOUNTS=200 for a quicker run): correctness at 2,000 accounts, where moto
 * can check it. `npm run bench -- reconcile --simulated --accounts 10000 --sets 10`: the same Lambda at the scale of the
 * largest organizations, against a simulated AWS with AWS's latency and request-rate quotas (scale/reconcile-simulated.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { assemblePolicyBucket } from '../../backend/assemble/bucket.ts';
import { assembleReconciler, type ReconcilerExtras } from '../../backend/assemble/reconciler.ts';
import { reconcilerConfig } from '../../backend/config/config.ts';
import { CallCounter, isWriteOperation, type CountedCall } from '../../backend/aws/call-counter.ts';
import { createS3Client } from '../../backend/aws/clients.ts';
import { bundleHandler } from '../../backend/deploy/bundle.ts';
import { startMoto } from '../../backend/local/moto.ts';
import { runReconcile, type ReconcileDeps } from '../../backend/reconcile/run.ts';
import { flagOption, type BenchOptions } from './support/options.ts';
import { runBundledLambda, type LambdaRun } from './support/bundled-lambda.ts';
import { median, mib, round } from './support/figures.ts';
import { startLatencyProxy } from '../helpers/latency-proxy.ts';

const ACCOUNTS = Number(process.env.RECONCILE_BENCH_ACCOUNTS ?? 2000);
const PERMISSION_SETS = 10;
const CONCURRENCY = 10;
/** The seed only fills moto; more accounts at once there shorten it. */
const SEED_CONCURRENCY = 20;
const LAMBDA_RUNS = 3;
const BUCKET = 'switchyard-bench';
const IDENTITY_POOL_ID = 'us-east-1:00000000-0000-0000-0000-000000000000';
/** Roughly what an IAM or STS call costs from a Lambda, beyond moto's own time. */
const LATENCY_MS = 40;
const accountId = (i: number) => String(100_000_000_000 + i);
const setName = (j: number) => `Team${String(j).padStart(2, '0')}`;
const inline = (j: number, action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `Team${j}`, Effect: 'Deny', Action: [action], Resource: '*' }] });

function policyFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'accounts.yaml': `accounts:\n${Array.from({ length: ACCOUNTS }, (_, i) => `  - { id: "${accountId(i)}", name: acct-${i}, tags: { env: ${i % 2 ? 'prod' : 'dev'} } }`).join('\n')}\n`,
    'assignments.yaml': `assignments:\n${Array.from({ length: PERMISSION_SETS }, (_, j) => `  - { group: G${j}, permissionSet: ${setName(j)}, accounts: "*" }`).join('\n')}\n`,
  };
  for (let j = 0; j < PERMISSION_SETS; j++) {
    files[`permission-sets/${setName(j)}.yaml`] =
      `description: Team ${j}\nsessionDuration: PT${1 + (j % 12)}H\ninlinePolicy: ../policies/team-${j}.json\n` +
      `permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess\ntags: { team: t${j} }\n`;
    files[`policies/team-${j}.json`] = inline(j, 'secretsmanager:GetSecretValue');
  }
  return files;
}

function perAccount(calls: CountedCall[], filter: (c: CountedCall) => boolean) {
  const counts = new Map<string, number>();
  for (let i = 0; i < ACCOUNTS; i++) counts.set(accountId(i), 0);
  for (const call of calls) if (counts.has(call.account) && filter(call)) counts.set(call.account, (counts.get(call.account) ?? 0) + 1);
  const values = [...counts.values()];
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), total: values.reduce((a, b) => a + b, 0) };
}

function byOperation(calls: CountedCall[]) {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[`${call.service}:${call.operation}`] = (counts[`${call.service}:${call.operation}`] ?? 0) + 1;
  return counts;
}

/** `--simulated` results go to bench-results/reconcile-simulated.json, beside the moto run's reconcile.json. */
export function variant(options: BenchOptions): string | undefined {
  return flagOption(options, 'simulated') ? 'simulated' : undefined;
}

export async function run(options: BenchOptions = {}): Promise<Record<string, unknown>> {
  if (flagOption(options, 'simulated')) return (await import('./scale/reconcile-simulated.ts')).run(options);
  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
  const scratch = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  try {
    const s3 = createS3Client(moto.settings);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const bucket = assemblePolicyBucket(moto.settings, { bucket: BUCKET, prefix: '' });
    const pushed: Record<string, string> = {};
    const put = async (files: Record<string, string>) => {
      Object.assign(pushed, files);
      await bucket.push(Object.entries(pushed).map(([path, content]) => ({ path, content })));
    };
    const counter = new CallCounter();
    const env = {
      AWS_REGION: moto.settings.region,
      SWITCHYARD_LOG_LEVEL: 'SILENT',
      SWITCHYARD_POLICY_BUCKET: BUCKET,
      SWITCHYARD_IDENTITY_POOL_ID: IDENTITY_POOL_ID,
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.bench',
      SWITCHYARD_RECONCILE_CONCURRENCY: String(CONCURRENCY),
    };
    const config = reconcilerConfig({ ...env, SWITCHYARD_AWS_ENDPOINT: moto.endpoint });
    const deps = (extra: ReconcilerExtras = {}): ReconcileDeps =>
      assembleReconciler(config, { credentials: moto.settings.credentials, callCounter: counter, ...extra });
    const timed = async (label: string, extra: ReconcilerExtras = {}) => {
      counter.reset();
      const started = performance.now();
      const report = await runReconcile(deps(extra));
      const seconds = (performance.now() - started) / 1000;
      if (report.status !== 'applied') throw new Error(`${label}: run ended ${report.status}`);
      return { seconds, report, calls: [...counter.calls] };
    };

    await put(policyFiles());
    console.log(`reconcile bench: ${ACCOUNTS} accounts x ${PERMISSION_SETS} permission sets; seeding moto ...`);
    const seed = await timed('seed', { concurrency: SEED_CONCURRENCY });
    if (seed.report.summary.created !== ACCOUNTS * PERMISSION_SETS) throw new Error(`seed: created ${seed.report.summary.created} roles`);
    const noop = await timed('no-op');
    const noopGaadOnly = await timed('no-op (GetAccountAuthorizationDetails only)', { readRoleSettings: false });
    await put({ 'policies/team-3.json': inline(3, 'kms:Decrypt') });
    const change = await timed('one-policy change');

    // The sizing run: the Lambda's own bundle, in a fresh Node process per run, 40 ms added per call.
    const bundle = await bundleHandler('reconciler');
    const bundlePath = join(scratch, 'index.mjs');
    await writeFile(bundlePath, bundle.code);
    const slow = await startLatencyProxy(moto.endpoint, LATENCY_MS);
    const lambdaRuns: (LambdaRun & { result: NoopResult })[] = [];
    try {
      for (let i = 0; i < LAMBDA_RUNS; i++) {
        const lambdaRun = (await runBundledLambda(bundlePath, {
          events: [{ source: 'aws.events', 'detail-type': 'Scheduled Event' }],
          env: {
            ...env,
            SWITCHYARD_LOG_LEVEL: 'ERROR',
            SWITCHYARD_AWS_ENDPOINT: slow.endpoint,
            AWS_ACCESS_KEY_ID: 'testing',
            AWS_SECRET_ACCESS_KEY: 'testing',
          },
        })) as LambdaRun & { result: NoopResult };
        const { status, summary } = lambdaRun.result;
        const changed = summary.created + summary.updated + summary.deleted + summary.failedAccounts;
        if (status !== 'applied' || summary.accounts !== ACCOUNTS || changed !== 0) {
          throw new Error(`bundled no-op run ended ${JSON.stringify(lambdaRun.result)}`);
        }
        lambdaRuns.push(lambdaRun);
        console.log(
          `  bundled no-op run ${i + 1}: ${round(lambdaRun.handlerMs / 1000)} s, maxRSS ${mib(lambdaRun.maxRssBytes)} MiB, heap peak ${mib(lambdaRun.peakHeapBytes)} MiB, CPU ${round(lambdaRun.cpuMs / 1000)} s`,
        );
      }
    } finally {
      await slow.close();
    }

    const isIamWrite = (c: CountedCall) => c.service === 'IAM' && isWriteOperation(c.operation);
    const figures = {
      accounts: ACCOUNTS,
      permissionSets: PERMISSION_SETS,
      roles: seed.report.summary.created,
      concurrency: CONCURRENCY,
      seed: { seconds: round(seed.seconds), concurrency: SEED_CONCURRENCY, iamWrites: seed.calls.filter(isIamWrite).length },
      noop: {
        seconds: round(noop.seconds),
        callsPerAccount: perAccount(noop.calls, () => true),
        assumeRolePerAccount: perAccount(noop.calls, (c) => c.operation === 'AssumeRole'),
        iamWrites: noop.calls.filter(isIamWrite).length,
        byOperation: byOperation(noop.calls),
        millisecondsPerAccount: round((noop.seconds * 1000) / ACCOUNTS),
      },
      noopWithoutListRoles: {
        seconds: round(noopGaadOnly.seconds),
        callsPerAccount: perAccount(noopGaadOnly.calls, () => true),
        iamWrites: noopGaadOnly.calls.filter(isIamWrite).length,
      },
      onePolicyChange: {
        seconds: round(change.seconds),
        accountsUpdated: change.report.accounts.filter((a) => a.updated.length > 0).length,
        writesPerAffectedAccount: perAccount(change.calls, isIamWrite),
        writeOperations: byOperation(change.calls.filter(isIamWrite)),
      },
      lambdaNoop: {
        addedMillisecondsPerCall: LATENCY_MS,
        bundleKiB: Math.round(bundle.code.byteLength / 1024),
        runs: lambdaRuns.map((r) => ({
          seconds: round(r.handlerMs / 1000),
          importMs: Math.round(r.importMs),
          maxRssMiB: mib(r.maxRssBytes),
          peakHeapMiB: mib(r.peakHeapBytes),
          cpuSeconds: round(r.cpuMs / 1000),
        })),
        medianSeconds: round(median(lambdaRuns.map((r) => r.handlerMs)) / 1000),
        maxSeconds: round(Math.max(...lambdaRuns.map((r) => r.handlerMs)) / 1000),
        medianMaxRssMiB: mib(median(lambdaRuns.map((r) => r.maxRssBytes))),
        maxRssMiB: mib(Math.max(...lambdaRuns.map((r) => r.maxRssBytes))),
        maxHeapMiB: mib(Math.max(...lambdaRuns.map((r) => r.peakHeapBytes))),
        medianCpuSeconds: round(median(lambdaRuns.map((r) => r.cpuMs)) / 1000),
      },
    };

    console.log(`reconcile bench: ${ACCOUNTS} accounts x ${PERMISSION_SETS} permission sets = ${figures.roles} roles, concurrency ${CONCURRENCY}`);
    console.log(`  seed (create all): ${figures.seed.seconds} s at concurrency ${SEED_CONCURRENCY}, ${figures.seed.iamWrites} IAM writes`);
    console.log(
      `  no-op run:         ${figures.noop.seconds} s (${figures.noop.millisecondsPerAccount} ms/account), IAM writes ${figures.noop.iamWrites}`,
    );
    console.log(
      `    calls/account:   median ${figures.noop.callsPerAccount.median} (min ${figures.noop.callsPerAccount.min}, max ${figures.noop.callsPerAccount.max}): ${JSON.stringify(figures.noop.byOperation)}`,
    );
    console.log(
      `    without ListRoles: median ${figures.noopWithoutListRoles.callsPerAccount.median} calls/account, ${figures.noopWithoutListRoles.seconds} s`,
    );
    console.log(
      `  one-policy change: ${figures.onePolicyChange.seconds} s, ${figures.onePolicyChange.accountsUpdated} accounts updated, writes/account median ${figures.onePolicyChange.writesPerAffectedAccount.median} (max ${figures.onePolicyChange.writesPerAffectedAccount.max}) ${JSON.stringify(figures.onePolicyChange.writeOperations)}`,
    );
    console.log(
      `  Lambda bundle, no-op with ${LATENCY_MS} ms per call (${LAMBDA_RUNS} fresh processes): median ${figures.lambdaNoop.medianSeconds} s (max ${figures.lambdaNoop.maxSeconds} s; goal < 120 s), maxRSS median ${figures.lambdaNoop.medianMaxRssMiB} MiB (max ${figures.lambdaNoop.maxRssMiB} MiB; goal < 512 MB), heap peak ${figures.lambdaNoop.maxHeapMiB} MiB, CPU ${figures.lambdaNoop.medianCpuSeconds} s`,
    );
    return figures;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await moto.stop();
  }
}

/** What the reconcile handler answers a scheduled run with: the report's outcome. */
interface NoopResult {
  status: string;
  summary: { accounts: number; failedAccounts: number; created: number; updated: number; deleted: number };
}
