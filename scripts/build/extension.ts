/** Builds the extension for one browser, as `npm run build` does, with the backend URL baked in as its default (or none). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Browser = 'chrome' | 'firefox';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE = `${ROOT}node_modules/vite/bin/vite.js`;

/**
 * Writes dist/<browser>/ (or `outDir`); fails with vite's own output when the build fails. Without `apiUrl` the
 * build has no default backend (policy or the options page must set one); `env` adds build variables
 * (vite.config.ts lists them).
 */
export async function buildExtension(browser: Browser, apiUrl: string | undefined, outDir?: string, env: Record<string, string> = {}): Promise<void> {
  const output: string[] = [];
  const { SWITCHYARD_API_URL: _inherited, ...inherited } = process.env;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--mode', browser, '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...inherited, ...(apiUrl ? { SWITCHYARD_API_URL: apiUrl } : {}), ...(outDir ? { SWITCHYARD_OUT_DIR: outDir } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build --mode ${browser} failed (exit ${code}):\n${output.join('')}`);
}
