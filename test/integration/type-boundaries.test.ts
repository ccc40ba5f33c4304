/**
 * Each layer's TypeScript project admits only its runtime's globals (see tsconfig.json): a probe file is
 * type-checked inside the layer's program, next to the layer's real sources (so that a dependency's types
 * pulling in DOM or Node would show), and must fail exactly on the foreign APIs and compile what the
 * runtime has.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Inside the repository (gitignored) so that node_modules and @types resolve as they do for the real files.
const scratch = join(root, '.tsbuild', 'boundary-probes');

interface Layer {
  /** The folder whose tsconfig.json is probed. */
  folder: string;
  /** Probe lines that must each fail with the given TypeScript error. */
  forbidden: [line: string, code: string][];
  /** Probe lines that must compile: the runtime has these. */
  allowed: string[];
}

const layers: Layer[] = [
  {
    folder: 'shared',
    forbidden: [
      ["import { readFileSync } from 'node:fs';", 'TS2307'],
      ['export const title = document.title;', 'TS2584'],
      ['export const env = process.env;', 'TS2591'],
      ['export const later = setTimeout;', 'TS2304'],
    ],
    allowed: [
      "export const region = new URL('https://example.com/?region=eu-west-1').searchParams.get('region');",
      "export const text = new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode('x'));",
    ],
  },
  {
    folder: 'extension',
    forbidden: [
      ["import { createServer } from 'node:http';", 'TS2307'],
      ['export const env = process.env;', 'TS2591'],
      ["export const bytes = Buffer.from('x');", 'TS2591'],
    ],
    allowed: ["import browser from 'webextension-polyfill';", 'export const title = document.title;', 'export const open = browser.tabs.create;'],
  },
];

async function typecheck(layer: Layer): Promise<{ probeErrors: Map<number, string[]>; otherErrors: string[] }> {
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(join(scratch, `${layer.folder}-`));
  const probe = [...layer.forbidden.map(([line]) => line), ...layer.allowed].join('\n');
  await writeFile(join(dir, 'probe.ts'), `${probe}\n`);
  const layerDir = join(root, layer.folder);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(layerDir, 'tsconfig.json'),
      compilerOptions: { composite: false, incremental: false, emitDeclarationOnly: false, noEmit: true, rootDir: root },
      include: [join(layerDir, '**/*.ts'), join(layerDir, '**/*.tsx'), 'probe.ts'],
      exclude: [join(layerDir, '**/*.test.ts'), join(layerDir, '**/*.test.tsx')],
    }),
  );
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: root });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const probeErrors = new Map<number, string[]>();
  const otherErrors: string[] = [];
  for (const line of output.split('\n').filter((l) => /error TS\d+/.test(l))) {
    const match = /^(.*)\((\d+),\d+\): error (TS\d+)/.exec(line);
    if (match && match[1]?.endsWith('probe.ts')) {
      const lineNumber = Number(match[2]);
      probeErrors.set(lineNumber, [...(probeErrors.get(lineNumber) ?? []), match[3] as string]);
    } else {
      otherErrors.push(line);
    }
  }
  return { probeErrors, otherErrors };
}

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each(layers)('the $folder project', (layer) => {
  it('rejects the APIs of other runtimes and accepts its own', async () => {
    const { probeErrors, otherErrors } = await typecheck(layer);
    expect(otherErrors).toEqual([]);
    const expected = new Map(layer.forbidden.map(([, code], index) => [index + 1, [code]]));
    expect(probeErrors).toEqual(expected);
  });
});
