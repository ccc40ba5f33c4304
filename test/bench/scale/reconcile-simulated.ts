/**
 * `npm run bench -- reconcile --simulated [--accounts 10000] [--sets 10] [--latency 40] [--concurrency N] [--runs 3]`:
 * the reconcile Lambda at the scale of the largest organizations, against the simulated AWS of
 * test/helpers/simulated-aws (IAM, STS and Organizations in memory, 40 ms a call, AWS's request-rate
 * quotas answered with AWS's throttling errors; S3 in moto). Each run is the bundled Lambda in a fresh
 * Node process with Lambda's limit on open files, started by a scheduled event:
 *   - create: every role made from nothing (accounts x sets roles);
 *   - no-op: nothing to change (median of --runs);
 *   - one changed policy: one permission set's inline policy edited, so one write per account;
 * each with its wall time, peak memory, CPU time, calls per member account, throttled calls (each one a
 * retry the SDK made) and the connections it opened. Then account discovery from Organizations on
 * --discovery-accounts accounts (default 1,000; its time grows linearly with the accounts at AWS's rates).
 * `--profile DIR` writes a CPU profile of each run there.
 * `--batch-accounts N`: the reconcile split across invocations in batches of N accounts on a queue
 * (reconcile-batched.ts): create and --runs no-ops, each invocation measured on its own.
 * Goals at 10,000 x 10: no-op within 5 minutes (a third of Lambda's 15), at most 1 GB, no call lost to throttling.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { assemblePolicyBucket } from '../../../backend/assemble/bucket.ts';
import { createOrganizationsClient, createS3Client } from '../../../backend/aws/clients.ts';
import { discoverAccounts } from '../../../backend/aws/organizations-accounts.ts';
import { bundleHandler } from '../../../backend/deploy/bundle.ts';
import { startMoto } from '../../../backend/local/moto.ts';
import { startSimulatedAws, type CallStats, type SimulatedAws } from '../../helpers/simulated-aws/server.ts';
import type { SimulatedAccount, SimulatedUnit } from '../../helpers/simulated-aws/organizations.ts';
import { LAMBDA_OPEN_FILES, runBundledLambda, type LambdaRun } from '../support/bundled-lambda.ts';
import { median, mib, round } from '../support/figures.ts';
import { numberOption, type BenchOptions } from '../support/options.ts';
import { batchedRun, INVOCATION_GOAL_SECONDS, prepareBatches } from './reconcile-batched.ts';

const BUCKET = 'switchyard-scale-bench';
const IDENTITY_POOL_ID = 'us-east-1:00000000-0000-0000-0000-000000000000';
const ACCESS_ROLE = 'SwitchyardReconcilerAccess';
/** The reconcile Lambda's timeout in the management template; the goal is a third of Lambda's 15 minutes. */
const LAMBDA_TIMEOUT_SECONDS = 780;
const NOOP_GOAL_SECONDS = 300;
const MEMORY_GOAL_MIB = 1024;
/** Lambda gives a function CPU in proportion to its memory, one vCPU at 1,769 MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
const RECONCILE_MEMORY_MB = 1024;
const VCPU_SHARE = RECONCILE_MEMORY_MB / 1769;
const ACCOUNTS_PER_FILE = 2000;
const SCHEDULED_EVENT = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

const accountId = (i: number) => String(100_000_000_000 + i);
const setName = (j: number) => `Team${String(j).padStart(2, '0')}`;
const inline = (j: number, action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `Team${j}`, Effect: 'Deny', Action: [action], Resource: '*' }] });

function policyFiles(accounts: number, sets: number): Record<string, string> {
  const files: Record<string, string> = {
    'assignments.yaml': `assignments:\n${Array.from({ length: sets }, (_, j) => `  - { group: G${j}, permissionSet: ${setName(j)}, accounts: "*" }`).join('\n')}\n`,
  };
  for (let start = 0; start < accounts; start += ACCOUNTS_PER_FILE) {
    const lines = Array.from({ length: Math.min(ACCOUNTS_PER_FILE, accounts - start) }, (_, k) => {
      const i = start + k;
      return `  - { id: "${accountId(i)}", name: acct-${i}, tags: { env: ${i % 2 ? 'prod' : 'dev'} } }`;
    });
    files[`accounts/part-${String(start / ACCOUNTS_PER_FILE).padStart(3, '0')}.yaml`] = `accounts:\n${lines.join('\n')}\n`;
  }
  for (let j = 0; j < sets; j++) {
    files[`permission-sets/${setName(j)}.yaml`] =
      `description: Team ${j}\nsessionDuration: PT${1 + (j % 12)}H\ninlinePolicy: ../policies/team-${j}.json\n` +
      `permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess\ntags: { team: t${j} }\n`;
    files[`policies/team-${j}.json`] = inline(j, 'secretsmanager:GetSecretValue');
  }
  return files;
}

interface Summary {
  accounts: number;
  failedAccounts: number;
  created: number;
  updated: number;
  deleted: number;
}
interface HandlerResult {
  ran: boolean;
  status?: string;
  summary?: Summary;
}

/** A run's figures: the Lambda process's and what the simulated AWS saw. */
function figuresOf(label: string, run: LambdaRun, stats: CallStats, memberIds: Set<string>) {
  const perAccount = [...memberIds].map((id) => stats.byAccount.get(id) ?? 0);
  const throttled = Object.fromEntries(stats.throttled);
  const seconds = run.handlerMs / 1000;
  const cpuSeconds = run.cpuMs / 1000;
  const result = run.result as HandlerResult;
  return {
    label,
    status: result.status,
    summary: result.summary,
    seconds: round(seconds),
    cpuSeconds: round(cpuSeconds),
    /** Lambda at 1,024 MB has about 0.58 of a vCPU: the CPU this machine spent, on that share, is a floor under the Lambda's time. */
    lambdaCpuFloorSeconds: round(cpuSeconds / VCPU_SHARE),
    maxRssMiB: mib(run.maxRssBytes),
    peakHeapMiB: mib(run.peakHeapBytes),
    peakOpenFiles: run.peakOpenFiles,
    callsPerAccount: { median: median(perAccount), min: Math.min(...perAccount), max: Math.max(...perAccount) },
    byOperation: Object.fromEntries([...stats.byOperation].sort()),
    throttledCalls: throttled,
    /** Every throttled answer is one retry (a call whose attempts all ran out fails its account, which the summary shows). */
    throttlingRetries: Object.values(throttled).reduce((a, b) => a + b, 0),
    connectionsOpened: stats.connections,
    peakRequestsInFlight: stats.peakInFlight,
    overLambdaTimeout: seconds > LAMBDA_TIMEOUT_SECONDS,
  };
}
type RunFigures = ReturnType<typeof figuresOf>;

function print(figures: RunFigures): void {
  const s = figures.summary;
  console.log(
    `  ${figures.label.padEnd(20)} ${String(figures.seconds).padStart(7)} s  CPU ${figures.cpuSeconds} s (Lambda floor ${figures.lambdaCpuFloorSeconds} s)  ` +
      `maxRSS ${figures.maxRssMiB} MiB  heap ${figures.peakHeapMiB} MiB  open files ${figures.peakOpenFiles}  ` +
      `calls/account ${figures.callsPerAccount.median} (${figures.callsPerAccount.min}-${figures.callsPerAccount.max})  ` +
      `throttling retries ${figures.throttlingRetries}  connections ${figures.connectionsOpened}  ` +
      `${figures.status}: ${s ? `${s.created} created, ${s.updated} updated, ${s.failedAccounts} accounts failed` : ''}` +
      (figures.overLambdaTimeout ? `  OVER THE ${LAMBDA_TIMEOUT_SECONDS} s TIMEOUT` : ''),
  );
}

export async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const accounts = numberOption(options, 'accounts', 10_000);
  const sets = numberOption(options, 'sets', 10);
  const latencyMs = numberOption(options, 'latency', 40);
  const noopRuns = numberOption(options, 'runs', 3);
  const concurrency = options.concurrency === undefined ? undefined : numberOption(options, 'concurrency', 10);
  const discoveryAccounts = numberOption(options, 'discovery-accounts', Math.min(accounts, 1000));
  const batchAccounts = options['batch-accounts'] === undefined ? undefined : numberOption(options, 'batch-accounts', 1000);

  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
  const scratch = await mkdtemp(join(tmpdir(), 'switchyard-scale-bench-'));
  const members: SimulatedAccount[] = Array.from({ length: accounts }, (_, i) => ({ id: accountId(i), name: `acct-${i}` }));
  const memberIds = new Set(members.map((m) => m.id));
  let sim: SimulatedAws | undefined;
  try {
    await createS3Client(moto.settings).send(new CreateBucketCommand({ Bucket: BUCKET }));
    const bucket = assemblePolicyBucket(moto.settings, { bucket: BUCKET, prefix: '' });
    const pushed = policyFiles(accounts, sets);
    const push = async (changes: Record<string, string> = {}) => {
      Object.assign(pushed, changes);
      await bucket.push(Object.entries(pushed).map(([path, content]) => ({ path, content })));
    };
    await push();
    sim = await startSimulatedAws({ memberAccounts: members, accessRoleName: ACCESS_ROLE, latencyMs, s3Endpoint: moto.endpoint });
    const bundle = await bundleHandler('reconciler');
    const bundlePath = join(scratch, 'index.mjs');
    await writeFile(bundlePath, bundle.code);
    const env: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      SWITCHYARD_LOG_LEVEL: 'ERROR',
      SWITCHYARD_POLICY_BUCKET: BUCKET,
      SWITCHYARD_IDENTITY_POOL_ID: IDENTITY_POOL_ID,
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.example',
      SWITCHYARD_AWS_ENDPOINT: sim.endpoint,
      ...(concurrency !== undefined ? { SWITCHYARD_RECONCILE_CONCURRENCY: String(concurrency) } : {}),
    };
    // --profile DIR: a CPU profile of every run (open it with Chrome DevTools), to see where the time goes.
    const nodeArguments = typeof options.profile === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : [];
    const simulated = sim;
    if (batchAccounts !== undefined) {
      const { queues, env: batchEnv } = await prepareBatches(moto.settings, batchAccounts);
      Object.assign(env, batchEnv);
      const bench = { bundlePath, env, nodeArguments, vcpuShare: VCPU_SHARE, bucket, sim: () => simulated, memberIds };
      console.log(
        `reconcile bench (simulated AWS, in batches of ${batchAccounts} accounts): ${accounts} accounts x ${sets} permission sets, ${latencyMs} ms a call, concurrency ${concurrency ?? 'default'}`,
      );
      const create = await batchedRun(bench, queues, 'create', { created: accounts * sets });
      const noops = [];
      for (let i = 0; i < noopRuns; i++) noops.push(await batchedRun(bench, queues, `no-op ${i + 1}`, { created: 0, updated: 0 }));
      const runs = [create, ...noops];
      return {
        accounts,
        permissionSets: sets,
        batchAccounts,
        rolesAtTheEnd: simulated.iam.roleCount(),
        latencyMs,
        concurrency: concurrency ?? 'configuration default',
        bundleKiB: Math.round(bundle.code.byteLength / 1024),
        create,
        noops,
        goals: {
          everyInvocationWithinAThirdOfLambda: {
            goalSeconds: INVOCATION_GOAL_SECONDS,
            slowestSeconds: Math.max(...runs.map((run) => run.slowestInvocationSeconds)),
            slowestLambdaCpuFloorSeconds: Math.max(...runs.map((run) => run.slowestLambdaCpuFloorSeconds)),
            met: runs.every((run) => run.everyInvocationWithinAThird),
          },
          peakMemoryAtMost1GB: { goalMiB: MEMORY_GOAL_MIB, peakMiB: Math.max(...runs.map((run) => run.peakMaxRssMiB)) },
          throttlingRetries: runs.reduce((sum, run) => sum + run.throttlingRetries, 0),
        },
      };
    }
    const lambda = async (label: string, check: (result: HandlerResult) => string | undefined): Promise<RunFigures> => {
      simulated.resetStats();
      const run = await runBundledLambda(bundlePath, { events: [SCHEDULED_EVENT], env, openFilesLimit: LAMBDA_OPEN_FILES, nodeArguments });
      const figures = figuresOf(label, run, simulated.stats, memberIds);
      print(figures);
      const problem = check(run.result as HandlerResult);
      if (problem) throw new Error(`${label}: ${problem}: ${JSON.stringify(run.result)}`);
      return figures;
    };
    const applied = (expect: Partial<Summary>) => (result: HandlerResult) => {
      if (result.status !== 'applied') return `ended ${result.status}`;
      for (const [key, value] of Object.entries(expect)) {
        if (result.summary?.[key as keyof Summary] !== value) return `${key} is ${result.summary?.[key as keyof Summary]}, not ${value}`;
      }
      return undefined;
    };

    console.log(
      `reconcile bench (simulated AWS): ${accounts} accounts x ${sets} permission sets, ${latencyMs} ms a call, concurrency ${concurrency ?? 'default'}`,
    );
    const create = await lambda('create', applied({ created: accounts * sets, failedAccounts: 0 }));
    const noops: RunFigures[] = [];
    for (let i = 0; i < noopRuns; i++) noops.push(await lambda(`no-op ${i + 1}`, applied({ created: 0, updated: 0, deleted: 0, failedAccounts: 0 })));
    await push({ 'policies/team-3.json': inline(3, 'kms:Decrypt') });
    const change = await lambda('one changed policy', applied({ updated: accounts, created: 0, failedAccounts: 0 }));
    const roles = sim.iam.roleCount();
    await sim.close();
    sim = undefined;

    const discovery = await measureDiscovery(discoveryAccounts, latencyMs);

    const noopSeconds = median(noops.map((n) => n.seconds));
    const noopFloor = median(noops.map((n) => n.lambdaCpuFloorSeconds));
    const peakMiB = Math.max(create.maxRssMiB, change.maxRssMiB, ...noops.map((n) => n.maxRssMiB));
    const retries = create.throttlingRetries + change.throttlingRetries + noops.reduce((a, n) => a + n.throttlingRetries, 0);
    const goals = {
      noopWithin5Minutes: {
        goalSeconds: NOOP_GOAL_SECONDS,
        medianSeconds: noopSeconds,
        lambdaCpuFloorSeconds: noopFloor,
        met: Math.max(noopSeconds, noopFloor) <= NOOP_GOAL_SECONDS,
      },
      peakMemoryAtMost1GB: { goalMiB: MEMORY_GOAL_MIB, peakMiB, met: peakMiB <= MEMORY_GOAL_MIB },
      noCallLostToThrottling: {
        throttlingRetries: retries,
        failedAccounts: [create, change, ...noops].reduce((a, n) => a + (n.summary?.failedAccounts ?? 0), 0),
        met: [create, change, ...noops].every((n) => n.status === 'applied' && n.summary?.failedAccounts === 0),
      },
      everyRunWithinTheLambdaTimeout: { timeoutSeconds: LAMBDA_TIMEOUT_SECONDS, met: ![create, change, ...noops].some((n) => n.overLambdaTimeout) },
    };
    console.log(
      `goals: no-op median ${noopSeconds} s, CPU floor on Lambda ${noopFloor} s (goal <= ${NOOP_GOAL_SECONDS} s): ${goals.noopWithin5Minutes.met ? 'met' : 'MISSED'}; ` +
        `peak ${peakMiB} MiB (goal <= ${MEMORY_GOAL_MIB}): ${goals.peakMemoryAtMost1GB.met ? 'met' : 'MISSED'}; ` +
        `${retries} throttling retries, ${goals.noCallLostToThrottling.failedAccounts} accounts failed: ${goals.noCallLostToThrottling.met ? 'met' : 'MISSED'}`,
    );
    return {
      accounts,
      permissionSets: sets,
      rolesAtTheEnd: roles,
      latencyMs,
      concurrency: concurrency ?? 'configuration default',
      bundleKiB: Math.round(bundle.code.byteLength / 1024),
      create,
      noop: { medianSeconds: noopSeconds, runs: noops },
      onePolicyChange: change,
      discovery,
      goals,
    };
  } finally {
    await sim?.close();
    await rm(scratch, { recursive: true, force: true });
    await moto.stop();
  }
}

/** Discovery in this process (the calls, not the memory, are what it costs) against an organization of `count` accounts in 1 OU per 100. */
async function measureDiscovery(count: number, latencyMs: number) {
  const units: SimulatedUnit[] = Array.from({ length: Math.max(1, Math.round(count / 100)) }, (_, i) => ({
    id: `ou-sim-${i}`,
    name: `unit-${i}`,
    parentId: 'r-sim0',
  }));
  const members: SimulatedAccount[] = Array.from({ length: count }, (_, i) => ({
    id: accountId(i),
    name: `acct-${i}`,
    parentId: units[i % units.length]?.id ?? 'r-sim0',
    tags: { env: i % 2 ? 'prod' : 'dev', team: `team-${i % 50}`, 'switchyard:regions': 'eu-west-1' },
  }));
  const sim = await startSimulatedAws({ memberAccounts: members, units, accessRoleName: ACCESS_ROLE, latencyMs, otherRolesPerAccount: 0 });
  try {
    const client = createOrganizationsClient({
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 6,
    });
    const started = performance.now();
    let discovered = 0;
    let failure: string | undefined;
    try {
      discovered = (await discoverAccounts(client)).length;
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const seconds = (performance.now() - started) / 1000;
    const throttled = Object.fromEntries(sim.stats.throttled);
    const figures = {
      accounts: count,
      organizationalUnits: units.length,
      seconds: round(seconds),
      secondsPer10000Accounts: round((seconds * 10_000) / count),
      discovered,
      ...(failure ? { failure } : {}),
      byOperation: Object.fromEntries([...sim.stats.byOperation].sort()),
      throttledCalls: throttled,
    };
    console.log(
      `  discovery of ${count} accounts in ${units.length} OUs: ${figures.seconds} s (${figures.secondsPer10000Accounts} s per 10,000 accounts), ` +
        `${discovered} discovered${failure ? `, FAILED: ${failure}` : ''}; calls ${JSON.stringify(figures.byOperation)}; throttled ${JSON.stringify(throttled)}`,
    );
    return figures;
  } finally {
    await sim.close();
  }
}
