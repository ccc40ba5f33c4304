/**
 * Starts moto in server mode on a loopback port the OS picks: the AWS APIs of the local stack and of
 * the integration tests. moto_server comes from `pip install "moto[server]"` (preinstalled here).
 * moto binds port 0 itself and says which port it got; picking a free port first and passing it on
 * would leave a gap in which a parallel test's server can take it, and two stacks would then share
 * (and reset) one moto.
 *
 * It runs through moto_server.py (beside this file) with the Python that runs moto_server, which builds
 * AWS managed policies once instead of once per account (see there); where that Python cannot be found
 * or cannot import moto, moto_server itself runs, slower but the same.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const LAUNCHER = fileURLToPath(new URL('./moto_server.py', import.meta.url));
/** moto_server.py's exit code when its Python has no moto. */
const MOTO_MISSING = 3;

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  // AWS managed policies (arn:aws:iam::aws:policy/...) exist only when moto is asked to load them.
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...options.env };
  const python = motoPython();
  const started =
    (python && (await listen(python, [LAUNCHER, '-H', '127.0.0.1', '-p', '0'], env).catch(fallBackWhenMotoMissing))) ||
    (await listen('moto_server', ['-H', '127.0.0.1', '-p', '0'], env));
  const { child, port, exited } = started;
  const endpoint = `http://127.0.0.1:${port}`;

  // moto keeps everything in memory, so there is nothing to shut down cleanly (SIGTERM's exit takes half a second).
  const stop = async () => {
    if (child.exitCode !== null) return;
    killGroup(child, 'SIGKILL');
    await exited;
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

interface Listening {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

class MotoMissing extends Error {}

function fallBackWhenMotoMissing(error: unknown): undefined {
  if (error instanceof MotoMissing) return undefined;
  throw error;
}

/** Starts the server and waits until it says where it listens. */
async function listen(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Listening> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // moto (werkzeug) prints "Running on http://127.0.0.1:<port>" once its socket is bound and listening.
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`moto_server did not start listening within 30 s: ${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      const running = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (!running) return;
      clearTimeout(timer);
      resolve(Number(running[1]));
    });
    child.once('error', (error) => fail(new Error(`cannot start ${command} (${error.message}); install moto with: pipx install "moto[server]"`)));
    child.once('exit', (code) =>
      fail(code === MOTO_MISSING && args[0] === LAUNCHER ? new MotoMissing(stderr) : new Error(`moto_server exited during start-up: ${stderr}`)),
    );
  });
  return { child, port, exited };
}

let pythonOfMoto: string | null | undefined;

/**
 * The Python that runs moto_server, from its first line: `#!/path/to/python` (pip, pipx) or
 * `#!/usr/bin/env python3`; a wrapper script (a pyenv shim) means the `python3` on PATH.
 * Null when moto_server is not on PATH.
 */
function motoPython(): string | null {
  if (pythonOfMoto !== undefined) return pythonOfMoto;
  pythonOfMoto = null;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const firstLine = readFirstLine(join(dir, 'moto_server'));
    if (firstLine === undefined) continue;
    const [program, ...rest] = firstLine.startsWith('#!') ? firstLine.slice(2).trim().split(/\s+/) : [];
    if (program && /(^|\/)python[\d.]*$/.test(program)) pythonOfMoto = program;
    else if (program && /(^|\/)env$/.test(program) && rest[0] && /^python[\d.]*$/.test(rest[0])) pythonOfMoto = rest[0];
    else pythonOfMoto = 'python3';
    break;
  }
  return pythonOfMoto;
}

function readFirstLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(256);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
