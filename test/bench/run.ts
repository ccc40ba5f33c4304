/**
 * `npm run bench [-- NAME ...]`: runs test/bench/<NAME>.ts (all when none is named). Each benchmark
 * exports `run(): Promise<Record<string, unknown>>`, prints its own figures, and its result is
 * written to bench-results/<NAME>.json.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../bench-results/', import.meta.url));

const available = (await readdir(benchDir))
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.test.ts') && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
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
    const module = (await import(`./${name}.ts`)) as { run: () => Promise<Record<string, unknown>> };
    // The machine may be shared: its load before and after says how much the figures can be trusted.
    const loadBefore = loadavg()[0];
    const figures = await module.run();
    const record = {
      benchmark: name,
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadAverage: { before: Math.round((loadBefore ?? 0) * 10) / 10, after: Math.round((loadavg()[0] ?? 0) * 10) / 10 },
      },
      figures,
    };
    await writeFile(`${resultsDir}${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`-> bench-results/${name}.json`);
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
