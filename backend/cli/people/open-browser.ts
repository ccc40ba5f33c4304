/**
 * Opens a URL in the person's browser: the command in BROWSER when it is set (the URL as its one
 * argument, no shell), else the system's opener (xdg-open, open, or Windows' URL handler). Never through a
 * shell, so nothing in a URL is ever run.
 */
import { spawn } from 'node:child_process';
import type { CliEnvironment } from './home.ts';

export async function openInBrowser(url: string, env: CliEnvironment): Promise<boolean> {
  const [command, ...args] = opener(env);
  if (command === undefined) return false;
  return new Promise((resolve) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true, env: { ...process.env, ...env } });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

function opener(env: CliEnvironment): string[] {
  const chosen = env.BROWSER?.trim();
  if (chosen) return chosen.split(/\s+/);
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  return ['xdg-open'];
}
