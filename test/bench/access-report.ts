/**
 * The access report at scale (`npm run bench -- access-report [--accounts 2000] [--sets 10] [--people 5000]
 * [--groups 500] [--admins 5] [--last-uses PEOPLE] [--runs 3]`): the published policy of the scale benchmarks
 * (test/bench/support/scale-policy.ts) in moto's S3, a directory of `people` (the embedded directory
 * file: each person in two of the policy's groups, `admins` of them in the all-accounts admin group
 * too), one last use per person in the state table (moto's DynamoDB), and then the scheduled report
 * as it runs in Lambda: the bundled access-report handler (dist/lambda/access-report as packaged) in a
 * fresh Node process per run, writing CSV and JSON Lines to its scratch folder and uploading both to
 * moto. Prints each run's wall time, when its files were written (their last modification, watched
 * from here: the rest is the upload into moto), its CPU time and peak resident memory (maxRSS), and
 * their medians; the rows, and the files' sizes. Before that, the same report as an admin makes it:
 * `switchyard access report --format csv --out FILE` (bin/switchyard.js's main, through tsx) in a fresh
 * Node process, `--cli-runs` times (default 3), with its time and peak memory. `--runs 0` leaves out the
 * Lambda, whose upload into moto's S3 takes minutes at full size (moto takes in under 1 MB/s).
 * Goal: under 60 s and 512 MB, streamed.
 * moto's DynamoDB Query takes time in proportion to the whole table's items (about 8 ms on an empty
 * table, 60 ms at 1,000 items, 210 ms at 3,000 on the shared 2-core machine), where DynamoDB's does
 * not: `--last-uses N` seeds the last uses of the first N people only (default: everyone).
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { ReportNotice } from '../../backend/access/report-notice.ts';
import { assemblePolicyBucket } from '../../backend/assemble/bucket.ts';
import { hashPassword } from '../../backend/auth/password-hash.ts';
import { createDynamoDbClient, createS3Client } from '../../backend/aws/clients.ts';
import { bundleHandler } from '../../backend/deploy/bundle.ts';
import { startMoto } from '../../backend/local/moto.ts';
import { createStateTable } from '../../backend/local/state-table.ts';
import { DynamoDbStateTable } from '../../backend/state/dynamodb-state-table.ts';
import { lastUseKey } from '../../backend/state/layout.ts';
import { figuresIn, runBundledLambda, runNodeScript } from './support/bundled-lambda.ts';
import { median, mib, round } from './support/figures.ts';
import { numberOption, type BenchOptions } from './support/options.ts';
import { ADMIN_GROUP, loadScalePolicy } from './support/scale-policy.ts';

const BUCKET = 'switchyard-access-report-bench';
const TABLE = 'switchyard-access-report-bench';
const GOALS = { seconds: 60, memoryMiB: 512 };

/** A small deterministic generator, so every run reports on the same organization. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const accounts = numberOption(options, 'accounts', 2000);
  const sets = numberOption(options, 'sets', 10);
  const peopleCount = numberOption(options, 'people', 5000);
  const groups = numberOption(options, 'groups', 500);
  const admins = numberOption(options, 'admins', 5);
  const runs = numberOption(options, 'runs', 3);
  const cliRuns = numberOption(options, 'cli-runs', 3);
  const lastUses = Math.min(numberOption(options, 'last-uses', peopleCount), peopleCount);
  console.log(`  ${accounts} accounts x ${sets} permission sets, ${groups} groups, ${peopleCount} people (${admins} in ${ADMIN_GROUP})`);

  const { policy, available } = loadScalePolicy(accounts, sets, groups);
  const teamGroups = [...new Set(policy.assignments.map((assignment) => assignment.group))].filter((group) => group !== ADMIN_GROUP);
  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
  const scratch = await mkdtemp(join(tmpdir(), 'switchyard-access-report-bench-'));
  try {
    await createS3Client(moto.settings).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await createStateTable(createDynamoDbClient(moto.settings), TABLE);
    await assemblePolicyBucket(moto.settings, { bucket: BUCKET, prefix: '' }).publishPolicy({
      policy,
      available,
      generation: '20261207T000000000Z-bench01',
      runId: 'bench',
      publishedAt: new Date().toISOString(),
    });

    // One password hash for everyone: the report never checks it, and 5,000 scrypt hashes would be the bench's longest part.
    const hash = await hashPassword('bench-password-1');
    const random = generator(18);
    const pick = () => teamGroups[Math.floor(random() * teamGroups.length)] as string;
    const people = Array.from({ length: peopleCount }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      username: `person${i}`,
      displayName: `Person ${i}`,
      passwordHash: hash,
      groups: [...new Set([pick(), pick(), ...(i < admins ? [ADMIN_GROUP] : [])])],
    }));
    const directoryFile = join(scratch, 'directory.json');
    await writeFile(directoryFile, JSON.stringify({ domain: 'corp.example.com', users: people }));

    // One last use per person, of a pair their first group gives (what a quarter of clicking leaves).
    const table = new DynamoDbStateTable(createDynamoDbClient(moto.settings), TABLE);
    const limit = pLimit(16);
    const seedStarted = performance.now();
    await Promise.all(
      people.slice(0, lastUses).map((person, i) =>
        limit(async () => {
          const assignment = policy.assignments.find((candidate) => candidate.group === person.groups[0]);
          const accountId = Object.keys(available)[i % Object.keys(available).length] ?? '';
          await table.put(
            {
              ...lastUseKey(`${person.username}@corp.example.com`, accountId, assignment?.permissionSet ?? ''),
              data: { console: new Date().toISOString() },
            },
            { kind: 'any' },
          );
        }),
      ),
    );
    console.log(`  seeded ${lastUses} last uses in ${round((performance.now() - seedStarted) / 1000)} s`);

    const bundle = await bundleHandler('access-report');
    const bundlePath = join(scratch, 'access-report.mjs');
    await writeFile(bundlePath, bundle.code);
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      TMPDIR: scratch,
      SWITCHYARD_LOG_LEVEL: 'SILENT',
      SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
      SWITCHYARD_POLICY_BUCKET: BUCKET,
      SWITCHYARD_STATE_TABLE: TABLE,
      SWITCHYARD_DIRECTORY: 'embedded',
      SWITCHYARD_DIRECTORY_FILE: directoryFile,
    };
    const cliSamples: { seconds: number; maxRssMiB: number; csvMiB: number }[] = [];
    for (let i = 0; i < cliRuns; i++) {
      const out = join(scratch, `cli-${i}.csv`);
      const result = await runCli(['access', 'report', '--format', 'csv', '--out', out], env);
      const sample = { seconds: round(result.ms / 1000), maxRssMiB: round(result.maxRssKiB / 1024), csvMiB: mib((await stat(out)).size) };
      cliSamples.push(sample);
      console.log(
        `  switchyard access report --format csv, run ${i + 1}: ${sample.seconds} s, peak RSS ${sample.maxRssMiB} MiB, ${sample.csvMiB} MiB written`,
      );
      await rm(out, { force: true });
    }
    const cli = cliRuns
      ? {
          medianSeconds: round(median(cliSamples.map((sample) => sample.seconds))),
          medianMaxRssMiB: median(cliSamples.map((sample) => sample.maxRssMiB)),
          samples: cliSamples,
        }
      : undefined;
    if (cli)
      console.log(
        `  switchyard access report: median ${cli.medianSeconds} s (goal ${GOALS.seconds}), peak RSS ${cli.medianMaxRssMiB} MiB (goal ${GOALS.memoryMiB})`,
      );
    if (runs === 0) return { accounts, sets, people: peopleCount, groups, lastUses, cli, goals: GOALS };

    const samples: { seconds: number; writtenSeconds: number; maxRssMiB: number; peakHeapMiB: number; cpuSeconds: number }[] = [];
    let notice: ReportNotice | undefined;
    for (let i = 0; i < runs; i++) {
      const started = Date.now();
      let lastWrite = started;
      const watcher = setInterval(() => void newestWrite(scratch).then((at) => (lastWrite = Math.max(lastWrite, at))), 250);
      const result = await runBundledLambda(bundlePath, { events: [{}], env });
      clearInterval(watcher);
      notice = result.result as ReportNotice;
      const sample = {
        seconds: round(result.handlerMs / 1000),
        writtenSeconds: round((lastWrite - started - result.importMs) / 1000),
        maxRssMiB: mib(result.maxRssBytes),
        peakHeapMiB: mib(result.peakHeapBytes),
        cpuSeconds: round(result.cpuMs / 1000),
      };
      samples.push(sample);
      console.log(
        `  run ${i + 1}: ${sample.seconds} s (files written after ${sample.writtenSeconds} s), peak RSS ${sample.maxRssMiB} MiB (heap ${sample.peakHeapMiB} MiB), CPU ${sample.cpuSeconds} s`,
      );
    }
    if (!notice) throw new Error('no run');
    const s3 = createS3Client(moto.settings);
    const size = async (key: string) => (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength ?? 0;
    const files = { csvMiB: mib(await size(notice.keys.csv)), jsonlMiB: mib(await size(notice.keys.jsonl)) };
    const figures = {
      accounts,
      sets,
      people: peopleCount,
      groups,
      rows: notice.rows,
      peopleWithAccess: notice.people,
      files,
      medianSeconds: round(median(samples.map((sample) => sample.seconds))),
      medianWrittenSeconds: round(median(samples.map((sample) => sample.writtenSeconds))),
      lastUses,
      medianMaxRssMiB: median(samples.map((sample) => sample.maxRssMiB)),
      samples,
      cli,
      goals: GOALS,
    };
    console.log(
      `  ${notice.rows} rows for ${notice.people} people; CSV ${files.csvMiB} MiB, JSON Lines ${files.jsonlMiB} MiB; ` +
        `median ${figures.medianSeconds} s, files written after ${figures.medianWrittenSeconds} s (goal ${GOALS.seconds}), peak RSS ${figures.medianMaxRssMiB} MiB (goal ${GOALS.memoryMiB})`,
    );
    return figures;
  } finally {
    await moto.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Runs the CLI's main as bin/switchyard.js does, in a process of its own; its figures follow FIGURES_MARKER on stdout. */
const CLI_RUNNER = `
import { register } from 'tsx/esm/api';
register();
const { main } = await import(process.env.BENCH_CLI_MAIN);
const started = performance.now();
const code = await main(JSON.parse(process.env.BENCH_CLI_ARGS));
process.stdout.write(process.env.BENCH_FIGURES_MARKER + JSON.stringify({ code, ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS }));
`;

async function runCli(args: string[], env: Record<string, string>): Promise<{ ms: number; maxRssKiB: number }> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout, stderr } = await runNodeScript(CLI_RUNNER, {
    cwd: root,
    env: { ...env, BENCH_CLI_MAIN: pathToFileURL(join(root, 'backend/cli/main.ts')).href, BENCH_CLI_ARGS: JSON.stringify(args) },
  });
  const figures = figuresIn<{ code: number; ms: number; maxRssKiB: number }>(stdout, stderr);
  if (figures.code !== 0) throw new Error(`switchyard access report exited ${figures.code}: ${stderr}`);
  return figures;
}

/** The newest modification time of the report files a run is writing in its scratch folder (0: none yet). */
async function newestWrite(scratch: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(scratch, { recursive: true }).catch(() => [] as string[])) {
    if (!/report\.(csv|jsonl)$/.test(entry)) continue;
    const info = await stat(join(scratch, entry)).catch(() => undefined);
    if (info) newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}
