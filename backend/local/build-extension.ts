/** Builds the extension for Chrome and Firefox with the API URL baked in, as `npm run build` does. */
import { spawn } from 'node:child_process';

export type Browser = 'chrome' | 'firefox';

export function buildExtension(browser: Browser, apiUrl: string, outDir?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--mode', browser, '--logLevel', 'warn'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, SWITCHYARD_API_URL: apiUrl, ...(outDir ? { SWITCHYARD_OUT_DIR: outDir } : {}) },
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build --mode ${browser} exited with ${code}`))));
  });
}
