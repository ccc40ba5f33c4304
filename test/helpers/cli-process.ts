/**
 * Test helper: runs the installed CLI for people as a person would, in a process of its own, and drives
 * its sign-in for real: `switchyard login --no-browser` prints the web page's URL; the helper plays the
 * web page (POST /cli/authorize with a web session's Bearer token) and follows the redirect to the CLI's
 * loopback listener, which redeems the code itself.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { cliRedirectWithCode, parseCliLoginPageParams, type CliAuthorizeResponse } from '../../shared/api/cli-login.ts';
import type { SessionResponse } from '../../shared/api/session.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(command: string[], env: NodeJS.ProcessEnv, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const [file, ...args] = command as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface WebPage {
  apiUrl: string;
  /** The web page's session, as POST /session answered it. */
  session: SessionResponse;
}

/** `switchyard login --no-browser`, completed as the web page would complete it; resolves when the CLI exits. */
export async function loginThroughWebPage(
  command: string[],
  env: NodeJS.ProcessEnv,
  page: WebPage,
  options: { cwd?: string; strayRedirect?: boolean } = {},
): Promise<CliRun> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, [...args, 'login', '--no-browser', '--api', page.apiUrl, '--timeout', '60'], {
    env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const printed = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /(\S+#\/cli-login\?\S+)/.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    child.once('close', () => reject(new Error(`switchyard login exited before printing its URL: ${stderr}`)));
  });
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));

  const url = await printed;
  expect(url.startsWith(`${page.apiUrl}/#/cli-login?`)).toBe(true);
  const params = parseCliLoginPageParams(url.slice(url.indexOf('?') + 1));
  if (!params) throw new Error(`the CLI printed a URL the web page would refuse: ${url}`);
  const authorized = await fetch(`${page.apiUrl}/cli/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${page.session.token}` },
    body: JSON.stringify({
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      codeChallengeMethod: 'S256',
      refreshToken: page.session.refreshToken,
    }),
  });
  expect(authorized.status).toBe(200);
  const { code } = (await authorized.json()) as CliAuthorizeResponse;
  if (options.strayRedirect) {
    // A redirect with another state (not from the page this login opened) is refused; the login waits on.
    const stray = await fetch(cliRedirectWithCode(params.redirectUri, code, 'not-this-logins-state'));
    expect(stray.status).toBe(400);
  }
  const landed = await fetch(cliRedirectWithCode(params.redirectUri, code, params.state));
  expect(landed.status).toBe(200);
  expect(landed.headers.get('referrer-policy')).toBe('no-referrer');
  return { code: await closed, stdout, stderr };
}
