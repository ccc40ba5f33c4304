/**
 * One Lambda bundle per entry in backend/handlers/: ESM for the nodejs22.x runtime, the whole
 * dependency tree inlined, and the AWS SDK tree-shaken. Tree-shaking needs each package's ES
 * module build: esbuild's default for platform "node" is the CommonJS build (`main`), which carries
 * every command of a client whether the code sends it or not, so `module` comes first here. The
 * metafile of a bundle lists exactly the source files that reached it, which is how the
 * grants-match-code test finds the SDK commands a handler can send.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HANDLERS_DIR = `${REPOSITORY_ROOT}backend/handlers`;

/** The Lambda runtime the bundles are built for, as the templates name it. */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/** Handler names: the files of backend/handlers/ without ".ts" ("api", "reconciler"). */
export function handlerNames(): string[] {
  return readdirSync(HANDLERS_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

export interface HandlerBundle {
  name: string;
  /** The bundle's code (index.mjs). */
  code: Uint8Array;
  /** Its source map, when asked for. */
  sourceMap?: Uint8Array;
  metafile: Metafile;
}

export interface BundleOptions {
  /** Also produce a source map (linked from the code as index.mjs.map). Default false. */
  sourceMap?: boolean;
  minify?: boolean;
}

export async function bundleHandler(name: string, options: BundleOptions = {}): Promise<HandlerBundle> {
  return bundleEntry(`${HANDLERS_DIR}/${name}.ts`, name, options);
}

/**
 * Any entry bundled as a Lambda is (the grants test bundles the CLI commands the CI recipe runs, to
 * read their SDK commands the same way); `name` names the bundle.
 */
export async function bundleEntry(entryPath: string, name: string, options: BundleOptions = {}): Promise<HandlerBundle> {
  const result = await build({
    entryPoints: [entryPath],
    outfile: `${REPOSITORY_ROOT}dist/lambda/${name}/index.mjs`,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: options.minify ?? true,
    sourcemap: options.sourceMap ? 'linked' : false,
    metafile: true,
    // ESM bundles of CommonJS dependencies need a require() in scope.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  const sourceMap = result.outputFiles.find((file) => file.path.endsWith('.mjs.map'));
  if (!code) throw new Error(`esbuild produced no code for ${name}`);
  return { name, code: code.contents, ...(sourceMap ? { sourceMap: sourceMap.contents } : {}), metafile: result.metafile };
}

/** The repository-relative source files that reached a bundle (after tree-shaking). */
export function bundledInputs(bundle: HandlerBundle): string[] {
  const output = Object.values(bundle.metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  if (!output) throw new Error(`the metafile of ${bundle.name} names no entry point`);
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path)
    .sort();
}
