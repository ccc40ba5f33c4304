/** The real machine as a `System` for ./check.ts: the only place the check touches files and processes. */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { System } from './check.ts';

/**
 * SWITCHYARD_PREREQS_SYSROOT=DIR looks for the parts' files (/usr/bin/chromium, ...) under DIR instead of /,
 * so the check can be tried as on a fresh machine without removing anything; set PATH to hide commands.
 */
const SYSROOT_ENV = 'SWITCHYARD_PREREQS_SYSROOT';

function readOsRelease(): string | undefined {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export function realSystem(env: NodeJS.ProcessEnv = process.env): System {
  const sysroot = env[SYSROOT_ENV];
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    osRelease: process.platform === 'linux' ? readOsRelease() : undefined,
    env,
    nodeVersion: process.version,
    exists: (path) => existsSync(sysroot && path.startsWith('/') ? join(sysroot, path) : path),
    isExecutable(path) {
      try {
        if (!statSync(path).isFile()) return false;
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    firstLine(path) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'r');
        const buffer = Buffer.alloc(256);
        const length = readSync(fd, buffer, 0, buffer.length, 0);
        return buffer.subarray(0, length).toString('latin1').split('\n')[0];
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
    run: (command, args, timeoutMs) => run(command, args, { timeoutMs, env }),
  };
}

/** Runs a command without a shell and collects stdout then stderr. Never throws. */
export function run(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const output = () => Buffer.concat([...stdout, ...stderr]).toString('utf8');
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, output: `${output()}${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: output() });
    });
  });
}
