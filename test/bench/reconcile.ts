/**
 * Reconciler at scale against moto: 200 member accounts x 10 permission sets (2,000 roles).
 *   - calls per account for a no-op run (goal: 1 AssumeRole + 1 read call, plus paging)
 *   - write calls for a one-policy change (goal: exactly one per affected account)
 *   - wall time with bounded concurrency
 * Permission sets use inline policies and a boundary, not AWS-managed policies: moto only knows
 * those when it loads its whole managed-policy catalogue into every account (seconds per account),
 * so this moto runs without that catalogue.
 * `npm run bench -- reconcile`, or `npx tsx test/bench/reconcile.ts`.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { assemblePolicyBucket } from '../../backend/assemble/policy-bucket.ts';
import { assembleReconciler, type ReconcilerExtras } from '../../backend/assemble/reconciler.ts';
import { reconcilerConfig } from '../../backend/config/config.ts';
import { CallCounter, isWriteOperation, type CountedCall } from '../../backend/aws/call-counter.ts';
import { createS3Client } from '../../backend/aws/clients.ts';
import { startMoto } from '../../backend/local/moto.ts';
import { planReconcile, runReconcile, type ReconcileDeps } from '../../backend/reconcile/run.ts';

const ACCOUNTS = 200;
const PERMISSION_SETS = 10;
const CONCURRENCY = 10;
const BUCKET = 'switchyard-bench';
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
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

export async function run(): Promise<Record<string, unknown>> {
  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
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
    const config = reconcilerConfig({
      AWS_REGION: moto.settings.region,
      SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
      SWITCHYARD_LOG_LEVEL: 'SILENT',
      SWITCHYARD_POLICY_BUCKET: BUCKET,
      SWITCHYARD_IDENTITY_POOL_ID: 'us-east-1:00000000-0000-0000-0000-000000000000',
      SWITCHYARD_RECONCILE_CONCURRENCY: String(CONCURRENCY),
    });
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
    // The first touch of an account costs moto about a second (it builds that account's backends);
    // a plan run pays it here, so the figures below measure the reconciler, not moto's start-up.
    const warmStarted = performance.now();
    const firstPlan = await planReconcile(deps());
    const warmUpSeconds = (performance.now() - warmStarted) / 1000;
    if (firstPlan.summary.created !== ACCOUNTS * PERMISSION_SETS) throw new Error(`plan: expected ${ACCOUNTS * PERMISSION_SETS} creations`);
    const create = await timed('create');
    const noop = await timed('no-op');
    const noopGaadOnly = await timed('no-op (GetAccountAuthorizationDetails only)', { readRoleSettings: false });
    await put({ 'policies/team-3.json': inline(3, 'kms:Decrypt') });
    const change = await timed('one-policy change');
    const noopSerial = await timed('no-op, concurrency 1', { concurrency: 1 });
    // moto answers in a few ms from one Python process, so concurrency barely shows against it;
    // AWS answers in tens of ms. The same no-op run through a proxy that adds that latency:
    const slow = await latencyProxy(moto.endpoint, LATENCY_MS);
    const viaProxy = { settings: { ...moto.settings, endpoint: slow.endpoint } };
    const latencySerial = await timed('no-op with latency, concurrency 1', { ...viaProxy, concurrency: 1 });
    const latencyConcurrent = await timed('no-op with latency', viaProxy);
    await slow.close();

    const isIamWrite = (c: CountedCall) => c.service === 'IAM' && isWriteOperation(c.operation);
    const figures = {
      accounts: ACCOUNTS,
      permissionSets: PERMISSION_SETS,
      roles: create.report.summary.created,
      concurrency: CONCURRENCY,
      firstPlanSeconds: round(warmUpSeconds),
      create: { seconds: round(create.seconds), iamWrites: create.calls.filter(isIamWrite).length },
      noop: {
        seconds: round(noop.seconds),
        callsPerAccount: perAccount(noop.calls, () => true),
        readCallsPerAccount: perAccount(noop.calls, (c) => c.service === 'IAM' && !isWriteOperation(c.operation)),
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
      noopConcurrency1: { seconds: round(noopSerial.seconds) },
      speedupConcurrency: round(noopSerial.seconds / noop.seconds),
      withLatency: {
        addedMillisecondsPerCall: LATENCY_MS,
        noopConcurrency1Seconds: round(latencySerial.seconds),
        noopSeconds: round(latencyConcurrent.seconds),
        speedupConcurrency: round(latencySerial.seconds / latencyConcurrent.seconds),
      },
    };

    console.log(`reconcile bench: ${ACCOUNTS} accounts x ${PERMISSION_SETS} permission sets = ${figures.roles} roles, concurrency ${CONCURRENCY}`);
    console.log(`  first plan:        ${figures.firstPlanSeconds} s (includes moto building each account on first touch)`);
    console.log(`  create:            ${figures.create.seconds} s, ${figures.create.iamWrites} IAM writes`);
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
      `  no-op, concurrency 1: ${figures.noopConcurrency1.seconds} s -> concurrency ${CONCURRENCY} is ${figures.speedupConcurrency}x faster (moto is one process)`,
    );
    console.log(
      `  with ${LATENCY_MS} ms added per call: concurrency 1 ${figures.withLatency.noopConcurrency1Seconds} s, concurrency ${CONCURRENCY} ${figures.withLatency.noopSeconds} s -> ${figures.withLatency.speedupConcurrency}x faster`,
    );
    return figures;
  } finally {
    await moto.stop();
  }
}

/** Forwards every request to moto after `delayMs`. */
async function latencyProxy(target: string, delayMs: number): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const url = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        const forwarded = request(
          { host: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        forwarded.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
