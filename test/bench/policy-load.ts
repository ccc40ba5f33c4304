/**
 * The policy loader on hostile and large folders: how fast each is refused or loaded (median of 5,
 * in this process). `npm run bench -- policy-load`. The cases are the ones a new user found slow:
 *   - a 5.5 MB accounts.yaml of 80,000 accounts, read from disk by the CLI's folder reader (refused by size);
 *   - 60,000 unknown keys in one file (quadratic in the YAML library: 100 s before);
 *   - 12,000 assignments with tag selectors against 12,000 accounts (26 s before).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPolicyDir } from '../../backend/cli/policy-folder.ts';
import { loadPolicy } from '../../shared/policy/load-policy.ts';
import { median } from './support/figures.ts';

const RUNS = 5;

async function timed(label: string, work: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  const result = Number(median(samples).toFixed(1));
  console.log(`${label.padEnd(58)} ${String(result).padStart(8)} ms (median of ${RUNS})`);
  return result;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-bench-policy-'));
  try {
    const accounts = Array.from(
      { length: 80_000 },
      (_, i) => `  - { id: "${String(100_000_000_000 + i)}", name: account-${i}, tags: { env: prod } }\n`,
    ).join('');
    await writeFile(join(dir, 'accounts.yaml'), `accounts:\n${accounts}`);
    const refuseHugeFolder = await timed('5.5 MB accounts.yaml: read folder and refuse', async () => {
      const loaded = loadPolicy(await readPolicyDir(dir));
      if (loaded.policy) throw new Error('the oversized file was accepted');
    });

    const unknownKeys = Array.from({ length: 60_000 }, (_, i) => `k${i}: v\n`).join('');
    const manyProblems = await timed('60,000 unknown keys in settings.yaml', () => loadPolicy([{ path: 'settings.yaml', content: unknownKeys }]));

    const inventory = Array.from({ length: 12_000 }, (_, i) => `  - { id: "${100_000_000_000 + i}", name: a${i}, tags: { env: prod } }\n`).join('');
    const selectors = Array.from(
      { length: 12_000 },
      (_, i) => `  - { group: g${i}, permissionSet: ReadOnly, accounts: { tags: { env: x${i} } } }\n`,
    ).join('');
    const selectorsAgainstInventory = await timed('12,000 tag selectors x 12,000 accounts', () =>
      loadPolicy([
        { path: 'accounts.yaml', content: `accounts:\n${inventory}` },
        { path: 'assignments.yaml', content: `assignments:\n${selectors}` },
      ]),
    );
    return { runs: RUNS, refuseHugeFolderMs: refuseHugeFolder, unknownKeysMs: manyProblems, selectorsMs: selectorsAgainstInventory };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
