/**
 * Cold start of the bundled Lambda entries (dist/lambda, from `npm run build:lambda`): bundle size
 * (raw and gzipped) and the init time Lambda pays before the first answer, measured in fresh Node
 * processes: the module import, then the first event (a GET /health for the API, which wires every
 * dependency from the environment; an event about a non-policy key for the bucket function).
 * No AWS call is made, so the figure is the code's own cost. `npm run bench -- cold-start`.
 * COLD_START_BASELINE=<another checkout>/dist/lambda measures those bundles too, interleaved run by
 * run with ours on the same machine, and prints the ratios (how the Hono move was measured).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { s3Notification } from '../helpers/lambda-events.ts';
import { median } from './support/figures.ts';

const RUNS = 15;
const root = fileURLToPath(new URL('../../', import.meta.url));

const EVENTS: Record<string, unknown> = {
  api: {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/health',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path: '/health', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench' },
  },
  reconciler: s3Notification('bench-bucket', ['_switchyard/report.json']),
};

const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  SWITCHYARD_LOG_LEVEL: 'ERROR',
  SWITCHYARD_POLICY_BUCKET: 'bench-bucket',
  SWITCHYARD_IDENTITY_POOL_ID: 'us-east-1:00000000-0000-0000-0000-000000000000',
  SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.bench',
  SWITCHYARD_SESSION_SECRET: randomBytes(32).toString('base64'),
  SWITCHYARD_DIRECTORY_FILE: `${root}backend/local/demo/directory.json`,
};

/** Runs in a fresh process: prints {importMs, firstEventMs}. */
const PROBE = `
const [bundle, event] = [process.argv[1], JSON.parse(process.argv[2])];
const t0 = performance.now();
const mod = await import(bundle);
const t1 = performance.now();
await mod.handler(event, { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 60000 });
const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstEventMs: t2 - t1 }));
`;

type Sample = { importMs: number; firstEventMs: number };

function probe(bundle: string, event: unknown): Sample {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, bundle, JSON.stringify(event)], {
    env: { PATH: process.env.PATH, ...ENV },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${bundle}: probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
}

function summary(bundle: string, samples: Sample[]) {
  const code = readFileSync(bundle);
  return {
    bundleKiB: Math.round(code.length / 1024),
    gzippedKiB: Math.round(gzipSync(code).length / 1024),
    medianImportMs: Number(median(samples.map((s) => s.importMs)).toFixed(1)),
    medianFirstEventMs: Number(median(samples.map((s) => s.firstEventMs)).toFixed(1)),
    medianInitMs: Number(median(samples.map((s) => s.importMs + s.firstEventMs)).toFixed(1)),
    runs: samples.length,
  };
}

function print(label: string, result: ReturnType<typeof summary>) {
  console.log(
    `${label.padEnd(24)} ${String(result.bundleKiB).padStart(5)} KiB (${result.gzippedKiB} KiB gzipped)  ` +
      `import ${result.medianImportMs} ms + first event ${result.medianFirstEventMs} ms = init ${result.medianInitMs} ms (median of ${result.runs})`,
  );
}

export async function run(): Promise<Record<string, unknown>> {
  const baselineDir = process.env.COLD_START_BASELINE?.replace(/\/+$/, '');
  const figures: Record<string, unknown> = {};
  for (const [name, event] of Object.entries(EVENTS)) {
    const bundle = `${root}dist/lambda/${name}/index.mjs`;
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build:lambda first`);
    const baseline = baselineDir ? `${baselineDir}/${name}/index.mjs` : undefined;
    if (baseline && !existsSync(baseline)) throw new Error(`${baseline} is missing`);
    const ours: Sample[] = [];
    const theirs: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(probe(bundle, event));
      if (baseline) theirs.push(probe(baseline, event));
    }
    const result = summary(bundle, ours);
    print(name, result);
    if (!baseline) {
      figures[name] = result;
      continue;
    }
    const before = summary(baseline, theirs);
    print(`${name} (baseline)`, before);
    const ratios = {
      bundle: Number((result.bundleKiB / before.bundleKiB).toFixed(2)),
      gzipped: Number((result.gzippedKiB / before.gzippedKiB).toFixed(2)),
      init: Number((result.medianInitMs / before.medianInitMs).toFixed(2)),
    };
    console.log(`${''.padEnd(24)} ratio to baseline: bundle ${ratios.bundle}x, gzipped ${ratios.gzipped}x, init ${ratios.init}x`);
    figures[name] = { ...result, baseline: { dir: baselineDir, ...before }, ratios };
  }
  return figures;
}
