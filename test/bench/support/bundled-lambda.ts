/**
 * Runs a bundled Lambda entry (dist/lambda/<name>/index.mjs as packaged) the way Lambda does: plain
 * Node, no tsx, a fresh process per run, the handler called with each event in turn (the first one
 * cold). Measures each call's wall time, the process's peak resident memory (maxRSS) and heap (sampled), its CPU time, and the most
 * files it held open at once; with `openFilesLimit` the process gets Lambda's limit on open files.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface LambdaRun {
  /** The first call's result. */
  result: unknown;
  /** Every call's result, wall time and CPU time (which a busy machine inflates less), in order. */
  calls: { result: unknown; ms: number; cpuMs: number }[];
  importMs: number;
  /** All calls together. */
  handlerMs: number;
  maxRssBytes: number;
  peakHeapBytes: number;
  cpuMs: number;
  peakOpenFiles: number;
}

/**
 * Starts the run's figures on stdout, after whatever the function logged there (its metrics, in embedded
 * metric format): a marker rather than a pipe of their own, which would be one more open file counted.
 */
export const FIGURES_MARKER = '\nswitchyard-bench-figures:';

/** Lambda's limit on file descriptors (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_OPEN_FILES = 1024;

const RUNNER = `
import { readdirSync } from 'node:fs';
let peakHeap = 0;
let peakFiles = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  try { peakFiles = Math.max(peakFiles, readdirSync('/proc/self/fd').length); } catch {}
};
const sampler = setInterval(sample, 50);
const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const imported = performance.now();
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900000 };
const calls = [];
for (const event of JSON.parse(process.env.BENCH_EVENTS)) {
  const at = performance.now();
  const cpuAt = process.cpuUsage();
  const result = await handler(event, context);
  const cpu = process.cpuUsage(cpuAt);
  calls.push({ result, ms: performance.now() - at, cpuMs: (cpu.user + cpu.system) / 1000 });
}
const done = performance.now();
clearInterval(sampler);
sample();
const usage = process.resourceUsage();
process.stdout.write(process.env.BENCH_FIGURES_MARKER + JSON.stringify({
  result: calls[0]?.result, calls, importMs: imported - started, handlerMs: done - imported, maxRssBytes: usage.maxRSS * 1024,
  peakHeapBytes: peakHeap, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakOpenFiles: peakFiles,
}));
`;

export interface RunOptions {
  /** The handler is called with each, in turn. */
  events: unknown[];
  env: Record<string, string>;
  /** Give the process Lambda's open-files limit (ulimit -n). */
  openFilesLimit?: number;
  /** Node's own flags, such as --cpu-prof. */
  nodeArguments?: string[];
}

export async function runBundledLambda(bundlePath: string, options: RunOptions): Promise<LambdaRun> {
  const { code, stdout, stderr } = await runNodeScript(RUNNER, {
    env: { ...options.env, BENCH_BUNDLE_URL: pathToFileURL(bundlePath).href, BENCH_EVENTS: JSON.stringify(options.events) },
    ...(options.nodeArguments ? { nodeArguments: options.nodeArguments } : {}),
    ...(options.openFilesLimit !== undefined ? { openFilesLimit: options.openFilesLimit } : {}),
  });
  if (code !== 0) throw new Error(`the bundled Lambda exited ${code}: ${stderr}`);
  return figuresIn<LambdaRun>(stdout, stderr);
}

export interface NodeScriptOptions {
  /** The process's whole environment besides PATH and FIGURES_MARKER (as BENCH_FIGURES_MARKER). */
  env: Record<string, string>;
  cwd?: string;
  openFilesLimit?: number;
  nodeArguments?: string[];
}

/** Runs an ES module script in a fresh Node process; what it printed (stderr: its last 4,000 characters) and how it exited. */
export async function runNodeScript(script: string, options: NodeScriptOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const node = [process.execPath, ...(options.nodeArguments ?? []), '--input-type=module', '-e', script];
  const [command, args] =
    options.openFilesLimit === undefined
      ? [node[0] as string, node.slice(1)]
      : ['/bin/sh', ['-c', `ulimit -n ${options.openFilesLimit} && exec "$0" "$@"`, ...node]];
  const child = spawn(command, args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { PATH: process.env.PATH ?? '', ...options.env, BENCH_FIGURES_MARKER: FIGURES_MARKER },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

/** The figures a runner wrote after FIGURES_MARKER, whatever the function logged before them. */
export function figuresIn<T>(stdout: string, stderr: string): T {
  const figures = stdout.lastIndexOf(FIGURES_MARKER);
  if (figures < 0) throw new Error(`the script wrote no figures: ${stderr}`);
  return JSON.parse(stdout.slice(figures + FIGURES_MARKER.length)) as T;
}
