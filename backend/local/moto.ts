/**
 * Starts moto in server mode on a loopback port the OS picks: the AWS APIs of the local stack and of
 * the integration tests. moto_server comes from `pip install "moto[server]"` (preinstalled here).
 * moto binds port 0 itself and says which port it got; picking a free port first and passing it on
 * would leave a gap in which a parallel test's server can take it, and two stacks would then share
 * (and reset) one moto.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AwsSettings } from '../aws/clients.ts';

export interface MotoServer {
  endpoint: string;
  /** Settings for `backend/aws/clients.ts` pointing at this server as the management account. */
  settings: AwsSettings;
  /** Wipes every account's state (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's default account: the caller of plain (non-assumed) credentials. */
export const MOTO_MANAGEMENT_ACCOUNT = '123456789012';

export interface StartMotoOptions {
  /** Extra environment for moto_server, e.g. INITIAL_NO_AUTH_ACTION_COUNT to enforce IAM. */
  env?: Record<string, string>;
  region?: string;
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    // AWS managed policies (arn:aws:iam::aws:policy/...) exist only when moto is asked to load them.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...options.env },
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // moto (werkzeug) prints "Running on http://127.0.0.1:<port>" once its socket is bound and listening.
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`moto_server did not start listening within 30 s: ${stderr}`), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      const running = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (!running) return;
      clearTimeout(timer);
      resolve(Number(running[1]));
    });
    child.once('error', (error) => fail(`cannot start moto_server (${error.message}); install it with: pipx install "moto[server]"`));
    child.once('exit', () => fail(`moto_server exited during start-up: ${stderr}`));
  });
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  process.once('exit', () => killGroup(child, 'SIGKILL'));

  return {
    endpoint,
    settings: {
      region: options.region ?? 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 3,
    },
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop,
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
