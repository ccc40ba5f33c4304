/**
 * `npm run bench [-- NAME ... [--option [value] ...]]`: runs test/bench/<NAME>.ts (all when none is
 * named). Each benchmark exports `run(options): Promise<Record<string, unknown>>`, prints its own
 * figures, and its result is written to bench-results/<NAME>.json (<NAME>-<variant>.json when the
 * benchmark names a variant, such as the reconcile's `--simulated`). Options go to every benchmark
 * named: `--simulated` is a flag, `--accounts 10000` a value (the word after an option is its value
 * unless it names a benchmark or is another option).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchOptions } from './support/options.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../bench-results/', import.meta.url));

const available = (await readdir(benchDir))
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.test.ts') && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const requested: string[] = [];
const options: BenchOptions = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? '';
  if (!arg.startsWith('--')) {
    requested.push(arg);
    continue;
  }
  const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
  const next = args[i + 1];
  if (inline !== undefined) options[name] = inline;
  else if (next !== undefined && !next.startsWith('--') && !available.includes(next)) options[name] = args[++i] ?? '';
  else options[name] = true;
}
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}

await mkdir(resultsDir, { recursive: true });
let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n== bench ${name} ==`);
  try {
    const module = (await import(`./${name}.ts`)) as {
      run: (options: BenchOptions) => Promise<Record<string, unknown>>;
      variant?: (options: BenchOptions) => string | undefined;
    };
    const loadBefore = loadavg();
    const figures = await module.run(options);
    const variant = module.variant?.(options);
    const record = {
      benchmark: name,
      ...(variant ? { variant } : {}),
      options,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      // The machine is shared: its load average (1, 5, 15 minutes) before and after says how far to trust the figures.
      loadAverage: { before: loadBefore.map(round), after: loadavg().map(round) },
      figures,
    };
    const file = `${name}${variant ? `-${variant}` : ''}.json`;
    await writeFile(`${resultsDir}${file}`, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`-> bench-results/${file}`);
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
